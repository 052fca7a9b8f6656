package dev.shepherd.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One training example for the predictor: a query, its numeric features and its minimum hint size
 * n*. Immutable. Feature values are not checked here (the trainer names a non-finite one).
 *
 * @param id       stable identifier (used in error messages and validation splits)
 * @param query    the question text the encoder sees
 * @param features extra numeric features by name (e.g. {@code mean_entropy}); the query length is
 *                 computed by the encoder and need not be given
 * @param nStar    n*(q) ≥ 0 in large-model tokens; 0 means the small model needs no hint
 */
public record LabeledExample(String id, String query, Map<String, Double> features, int nStar) {

    public LabeledExample {
        Objects.requireNonNull(id, "id");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query of example '" + id + "' must not be blank but was '" + query + "'");
        }
        if (nStar < 0) {
            throw new IllegalArgumentException("nStar of example '" + id + "' must be >= 0 but was " + nStar);
        }
        features = features == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** An example without extra features (proactive mode). */
    public static LabeledExample of(String id, String query, int nStar) {
        return new LabeledExample(id, query, Map.of(), nStar);
    }

    /** y(q) = 1[n*(q) &gt; 0]: whether the small model needs help. */
    public boolean needsHint() {
        return nStar > 0;
    }
}
