package dev.shepherd.core.model;

/**
 * The port through which shepherd calls a model. Core has no client library; integration modules
 * adapt LangChain4j {@code ChatModel}s, in-process llama.cpp models or recorded traces to it.
 *
 * <p>Implementations must be thread-safe: one instance serves concurrent requests. They report
 * failures as {@link dev.shepherd.core.ModelCallException} or any runtime exception; the
 * executor wraps the latter, naming the model.
 */
public interface Generator {

    /** A short name for logs, traces and errors, e.g. {@code "ollama:llama3.2:3b"}. */
    String name();

    /** Generates one completion. Never returns {@code null}. */
    Completion generate(GenerationRequest request);
}
