/**
 * LangChain4j integration of shepherd: {@link ShepherdChatModel} and
 * {@link ShepherdStreamingChatModel} are drop-in LangChain4j chat models
 * that run a shepherding policy over a small and a large LangChain4j model;
 * {@link ChatModelGenerator} adapts any {@code ChatModel} to shepherd's
 * {@link dev.shepherd.core.model.Generator} port; {@link ShepherdChatResponseMetadata}
 * is what each response carries.
 *
 * <p>The implementation that works with these types (request parsing, the request-scoped policy, the
 * streaming generator, conversions, entropy reading) is package-private here, as Caffeine keeps its
 * implementation next to its API; {@link dev.shepherd.langchain4j.internal} holds only helpers that need
 * none of this package's types, so the two packages never import each other both ways.
 */
package dev.shepherd.langchain4j;
