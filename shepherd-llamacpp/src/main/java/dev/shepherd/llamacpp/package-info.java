/**
 * An in-process small language model for shepherd: {@link LlamaCppChatModel}
 * is a LangChain4j {@code ChatModel} backed by llama.cpp (through {@code de.kherud:llama}) that
 * loads a local GGUF file, honours {@code maxOutputTokens} exactly, continues a prefilled
 * assistant message (the continuation way of giving the small model a hint) and reports token
 * counts from the model's own tokenizer. {@link ChatTemplate} decides how
 * chat messages become the prompt text.
 *
 * <p>The built-in templates and the GGUF file check are package-private here, next to the types they
 * implement and throw; {@link dev.shepherd.llamacpp.internal} holds only engine helpers that need none of
 * this package's types.
 */
package dev.shepherd.llamacpp;
