package dev.shepherd.core.policy;

import java.util.Objects;

/**
 * The checks the policies' builders share, so that each rule and its message is written once:
 * a bad value fails its setter with an {@link IllegalArgumentException} naming the field and the
 * value, a missing required setting fails {@code build()} with an {@link IllegalStateException}
 * naming the setter. Stateless.
 */
final class Arguments {

    private Arguments() {
    }

    /** {@code value} when it is in [0, 1]. */
    static double share(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1] but was " + value);
        }
        return value;
    }

    /** {@code value} when it is at least {@code min}. */
    static int atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
        return value;
    }

    /** {@code value} when it is neither null nor blank. */
    static String nonBlank(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank but was '" + value + "'");
        }
        return value;
    }

    /** Fails {@code build()} when a required setting was not made. */
    static void required(boolean present, String setter) {
        if (!present) {
            throw new IllegalStateException(setter + " is required: call " + setter + "(...)");
        }
    }

    /** Fails {@code build()} when more samples must agree than are drawn (k &gt; K). */
    static void agreementWithinSamples(int agreement, int samples) {
        if (agreement > samples) {
            throw new IllegalArgumentException("agreement (k = " + agreement + ") must not exceed samples (K = "
                    + samples + ")");
        }
    }
}
