package dev.shepherd.core;

import dev.shepherd.core.model.PromptMessage;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One question to answer. Immutable and thread-safe.
 *
 * @param id      a stable identifier (labels, traces and ledger entries refer to it)
 * @param text    the question itself: what the prompt template puts after {@code Question:}
 * @param gold    the reference answer when known (evaluation, labeling, oracle policies), else {@code null}
 * @param context messages that precede the question in a chat (system prompt, history); sent
 *                unchanged before the rendered question
 */
public record Query(String id, String text, String gold, List<PromptMessage> context) {

    /** Longest accepted question, in characters. Longer input is rejected, not truncated. */
    public static final int MAX_CHARS = 200_000;

    /**
     * Validates the text and copies the context.
     *
     * @throws InvalidQueryException when the text is null, blank or longer than {@link #MAX_CHARS}
     */
    public Query {
        Objects.requireNonNull(id, "id");
        if (text == null || text.isBlank()) {
            throw new InvalidQueryException("query.text must not be empty or blank but was "
                    + (text == null ? "null" : "'" + text + "'"));
        }
        if (text.length() > MAX_CHARS) {
            throw new InvalidQueryException("query.text must be at most " + MAX_CHARS
                    + " characters but was " + text.length());
        }
        context = context == null ? List.of() : List.copyOf(context);
    }

    /** A query with a random id, no gold answer and no context. */
    public static Query of(String text) {
        return new Query(UUID.randomUUID().toString(), text, null, List.of());
    }

    /** A labeled query, as read from a dataset. */
    public static Query of(String id, String text, String gold) {
        return new Query(id, text, gold, List.of());
    }

    /** This query with other preceding messages. */
    public Query withContext(List<PromptMessage> newContext) {
        return new Query(id, text, gold, newContext);
    }

    @Override
    public String toString() {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return "Query[id=" + id + ", text=" + shown + "]";
    }
}
