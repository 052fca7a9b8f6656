package dev.shepherd.llamacpp.internal;

/** Argument checks shared by the builder and per-request validation; messages name the field. */
public final class Checks {

    private Checks() {}

    /** Temperature must be finite and non-negative (0 is greedy). */
    public static void requireTemperature(double temperature) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and at least 0 but was " + temperature);
        }
    }

    /** Top-p must be in (0, 1]. */
    public static void requireTopP(double topP) {
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
        }
    }

    /** An optional value must be finite when present. */
    public static void requireFinite(String name, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite but was " + value);
        }
    }
}
