/**
 * LangChain4j integration of shepherd: {@link dev.shepherd.langchain4j.ShepherdChatModel} and
 * {@link dev.shepherd.langchain4j.ShepherdStreamingChatModel} are drop-in LangChain4j chat models
 * that run a shepherding policy over a small and a large LangChain4j model;
 * {@link dev.shepherd.langchain4j.ChatModelGenerator} adapts any {@code ChatModel} to shepherd's
 * {@link dev.shepherd.core.model.Generator} port.
 */
package dev.shepherd.langchain4j;
