package dev.shepherd.llamacpp;

import dev.langchain4j.exception.InvalidRequestException;
import dev.shepherd.core.ShepherdException;

/**
 * Thrown by {@link LlamaCppChatModel#chat} when the rendered prompt does not fit the model's
 * context window, which llama.cpp would otherwise truncate silently. Not retriable with the same
 * input: shorten the conversation or build the model with a larger
 * {@link LlamaCppChatModel.Builder#contextSize(int) context size}.
 *
 * <p>A request error, so it extends LangChain4j's {@link InvalidRequestException} (non-retriable),
 * as an HTTP model's context-length error does: LangChain4j callers and retry logic treat it like
 * any model's rejected request, and shepherd's executor counts it as a call refused unprocessed
 * (never billed). It is not a {@link ShepherdException}: what a LangChain4j
 * {@code ChatModel} throws from {@code chat} follows LangChain4j's hierarchy.
 */
public class PromptTooLongException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    private final int promptTokens;
    private final int contextSize;

    /**
     * Creates the exception.
     *
     * @param promptTokens tokens of the rendered prompt
     * @param contextSize the model's context size in tokens
     */
    public PromptTooLongException(int promptTokens, int contextSize) {
        super("prompt has " + promptTokens + " tokens, which leaves no room in the context size "
                + contextSize + "; shorten the messages or raise contextSize");
        this.promptTokens = promptTokens;
        this.contextSize = contextSize;
    }

    /** Tokens of the rendered prompt. */
    public int promptTokens() {
        return promptTokens;
    }

    /** The model's context size in tokens. */
    public int contextSize() {
        return contextSize;
    }
}
