package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;

import java.util.Locale;

/** Where a model runs. */
public enum Provider {
    /** An OpenAI-compatible chat-completions endpoint (base URL + model + API key from an environment variable). */
    OPENAI,
    /** An Ollama server (base URL + model). */
    OLLAMA,
    /** A GGUF file run in-process by llama.cpp (shepherd-llamacpp). */
    GGUF;

    /**
     * Parses a provider name.
     *
     * @param option the option or config key it came from, for messages
     * @param value {@code openai}, {@code ollama} or {@code gguf}
     * @return the provider
     */
    public static Provider parse(String option, String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException(option, 0, null, "unknown provider '" + value + "'; expected openai, ollama or gguf");
        }
    }
}
