package dev.shepherd.core.prompt;

/** How a hint reaches the small model. */
public enum HintPlacement {
    /** The paper's way: a {@code Hint:} line appended to the prompt. The default. */
    PROMPT,
    /**
     * The hint becomes the start of the assistant's answer, which the small model continues; for
     * backends that continue a prefilled assistant message (llama.cpp, vLLM, Ollama raw mode).
     */
    CONTINUATION
}
