package dev.shepherd.core;

/** Thrown when a query is empty, blank or longer than {@link Query#MAX_CHARS}. Not retriable. */
public class InvalidQueryException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** An exception naming the offending field and value. */
    public InvalidQueryException(String message) {
        super(message);
    }
}
