package dev.shepherd.langchain4j;

import dev.langchain4j.exception.InvalidRequestException;
import dev.shepherd.core.ShepherdException;

/**
 * Thrown by {@link ShepherdChatModel} and {@link ShepherdStreamingChatModel} when a
 * {@code ChatRequest} cannot be shepherded: no user message, a message after the last user message,
 * non-text content, tool specifications, a JSON response format, a model name, or a
 * {@code maxOutputTokens} smaller than the hint the policy chose. The message names the field and
 * the value. Not retriable: fix the request.
 *
 * <p>Requests rejected before any model call are not recorded in the ledger; a cap found too small
 * for the chosen hint is detected before the hint is bought, so no large-model money is spent and
 * the ledger records one failed entry.
 *
 * <p>It extends LangChain4j's {@link InvalidRequestException}, not {@link ShepherdException}:
 * it is thrown through LangChain4j's {@code ChatModel} interface, whose callers catch LangChain4j's
 * request errors, and LangChain4j's retry logic never retries a {@code NonRetriableException}. Java
 * allows one superclass, so the LangChain4j hierarchy wins for what a {@code ChatModel} throws; the
 * type's name and package say it is shepherd's.
 */
public class InvalidChatRequestException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    /** An exception whose message names the request field and its value. */
    public InvalidChatRequestException(String message) {
        super(message);
    }
}
