package dev.shepherd.onnx.training;

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
 * @param largeAnswerTokens output tokens of the large model's recorded full answer to the query (NaN when not
 *                 recorded): an auxiliary training target, never an input — the answer-length candidate
 *                 ({@link HeadCandidate#answerLength}) learns it from the query's cheap features
 */
public record LabeledExample(String id, String query, Map<String, Double> features, int nStar,
                             double largeAnswerTokens) {

    public LabeledExample {
        Objects.requireNonNull(id, "id");
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query of example '" + id + "' must not be blank but was '" + query + "'");
        }
        if (nStar < 0) {
            throw new IllegalArgumentException("nStar of example '" + id + "' must be >= 0 but was " + nStar);
        }
        features = features == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(features));
        if (!Double.isNaN(largeAnswerTokens) && !(largeAnswerTokens >= 0 && Double.isFinite(largeAnswerTokens))) {
            throw new IllegalArgumentException("largeAnswerTokens of example '" + id + "' must be >= 0 or NaN but was "
                    + largeAnswerTokens);
        }
    }

    /** An example without a recorded large-model answer length. */
    public LabeledExample(String id, String query, Map<String, Double> features, int nStar) {
        this(id, query, features, nStar, Double.NaN);
    }

    /** This example with the large model's recorded answer length (output tokens, ≥ 0). */
    public LabeledExample withLargeAnswerTokens(double tokens) {
        return new LabeledExample(id, query, features, nStar, tokens);
    }

    /** Whether the large model's answer length was recorded. */
    public boolean hasLargeAnswerTokens() {
        return !Double.isNaN(largeAnswerTokens);
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
