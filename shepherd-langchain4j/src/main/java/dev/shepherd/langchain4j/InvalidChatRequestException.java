package dev.shepherd.langchain4j;

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
 */
public class InvalidChatRequestException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    public InvalidChatRequestException(String message) {
        super(message);
    }
}
