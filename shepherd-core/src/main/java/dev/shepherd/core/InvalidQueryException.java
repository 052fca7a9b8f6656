package dev.shepherd.core;

/** Thrown when a query is empty, blank or longer than {@link Query#MAX_CHARS}. Not retriable. */
public class InvalidQueryException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    public InvalidQueryException(String message) {
        super(message);
    }
}
