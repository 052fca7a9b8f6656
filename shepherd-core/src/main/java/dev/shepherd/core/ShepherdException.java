package dev.shepherd.core;

/**
 * Root of every exception that shepherd's own API throws (the executor, builders' {@code build()},
 * predictors, the CLI). Unchecked, like LangChain4j's exceptions: a caller that wants to handle
 * shepherd failures catches this type; argument errors in builders are reported as
 * {@link IllegalArgumentException} naming the field and the value.
 *
 * <p>One exception to the rule: what shepherd's LangChain4j {@code ChatModel}s throw from
 * {@code chat} for a request they cannot serve (the decorator's {@code InvalidChatRequestException},
 * the llama.cpp model's {@code PromptTooLongException} and {@code InferenceException}) extends
 * LangChain4j's own exceptions instead, because their callers catch LangChain4j's types and Java
 * allows one superclass. A model failure seen through the executor is always a
 * {@link ModelCallException}, which wraps them.
 */
public class ShepherdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public ShepherdException(String message) {
        super(message);
    }

    /** An exception with a message and its cause. */
    public ShepherdException(String message, Throwable cause) {
        super(message, cause);
    }
}
