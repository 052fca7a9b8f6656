package dev.shepherd.core.metrics;

import java.util.Objects;

/**
 * One point of a strategy's cost/accuracy curve, e.g. one threshold of a sweep. Immutable.
 *
 * @param label    what produced it (a threshold, a setting)
 * @param costUsd  total dollars, finite and ≥ 0
 * @param accuracy share in [0, 1] (or percent, as long as every point and reference use the same unit)
 */
public record OperatingPoint(String label, double costUsd, double accuracy) {

    /** Validates cost and accuracy. */
    public OperatingPoint {
        Objects.requireNonNull(label, "label");
        if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
            throw new IllegalArgumentException("costUsd must be finite and >= 0 but was " + costUsd);
        }
        if (!Double.isFinite(accuracy) || accuracy < 0) {
            throw new IllegalArgumentException("accuracy must be finite and >= 0 but was " + accuracy);
        }
    }
}
