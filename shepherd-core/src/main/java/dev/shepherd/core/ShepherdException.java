package dev.shepherd.core;

/**
 * Root of every exception that shepherd throws. Unchecked, like LangChain4j's exceptions: a caller
 * that wants to handle shepherd failures catches this type; argument errors in builders are
 * reported as {@link IllegalArgumentException} naming the field and the value.
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
