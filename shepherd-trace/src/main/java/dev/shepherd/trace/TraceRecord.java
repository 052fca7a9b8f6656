package dev.shepherd.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One query of a trace: its id, text, reference answer and every model's recorded response.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the query id, unique in its trace
 * @param query the query text
 * @param gold the reference answer, or null
 * @param responses each model's response, by model name, in the trace's model order
 * @param line the 1-based line the record starts on in its file (0 when built in code)
 */
public record TraceRecord(String id, String query, String gold, Map<String, Response> responses, long line) {

    /** Validates and copies (keeping the order of {@code responses}). */
    public TraceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(responses, "responses");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("record '" + id + "' has no model responses");
        }
        responses.forEach((k, v) -> {
            Objects.requireNonNull(k, "model name");
            Objects.requireNonNull(v, "response of " + k);
        });
        responses = Collections.unmodifiableMap(new LinkedHashMap<>(responses));
    }

    /**
     * Returns the named model's response.
     *
     * @throws IllegalArgumentException when the record has none
     */
    public Response response(String model) {
        Response r = responses.get(model);
        if (r == null) {
            throw new IllegalArgumentException("record '" + id + "' has no response of model '" + model + "' (it has "
                    + responses.keySet() + ")");
        }
        return r;
    }

    /** This record with one model's response replaced. */
    public TraceRecord with(String model, Response response) {
        Map<String, Response> m = new LinkedHashMap<>(responses);
        m.put(model, response);
        return new TraceRecord(id, query, gold, m, line);
    }
}
