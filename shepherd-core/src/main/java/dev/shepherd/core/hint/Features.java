package dev.shepherd.core.hint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Named numeric features handed to a {@link HintPredictor}. Immutable; values are finite.
 * The names the paper uses are constants here.
 */
public final class Features {

    /** Query length in the predictor's encoder tokens (the predictor may compute it itself). */
    public static final String QUERY_LENGTH = "query_length";
    /** Mean token entropy over the K small-model samples (reactive mode). */
    public static final String MEAN_ENTROPY = "mean_entropy";
    /** Mean output length in tokens over the K small-model samples (reactive mode). */
    public static final String MEAN_OUTPUT_LENGTH = "mean_output_length";

    private static final Features NONE = new Features(Map.of());

    private final Map<String, Double> values;

    private Features(Map<String, Double> values) {
        this.values = values;
    }

    /** No features: proactive mode, where the predictor sees the query alone. */
    public static Features none() {
        return NONE;
    }

    /**
     * Features from a map, in its iteration order.
     *
     * @throws IllegalArgumentException when a value is null, NaN or infinite
     */
    public static Features of(Map<String, Double> values) {
        Objects.requireNonNull(values, "values");
        Map<String, Double> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            Objects.requireNonNull(name, "feature name");
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("feature '" + name + "' must be finite but was " + value);
            }
            copy.put(name, value);
        });
        return new Features(Collections.unmodifiableMap(copy));
    }

    /** A single feature. */
    public static Features of(String name, double value) {
        return of(Map.of(name, value));
    }

    /** This set plus one more feature (replacing a value of the same name). */
    public Features with(String name, double value) {
        Map<String, Double> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return of(copy);
    }

    /** The value of a feature, empty when absent. */
    public OptionalDouble get(String name) {
        Double v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** All features, unmodifiable, in insertion order. */
    public Map<String, Double> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Features f && f.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Features" + values;
    }
}
