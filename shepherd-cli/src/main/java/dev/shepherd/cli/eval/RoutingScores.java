package dev.shepherd.cli.eval;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A router's per-query scores over a trace (higher = more likely the query needs the LLM) and its calibrated
 * threshold, if any.
 *
 * @param router the router's name or bundle path, for the report
 * @param scores one score per trace row, in row order
 * @param threshold the calibrated threshold (route to the LLM iff score ≥ threshold); empty to use 0.5
 */
public record RoutingScores(String router, double[] scores, OptionalDouble threshold) {

    /** Validates. */
    public RoutingScores {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(threshold, "threshold");
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("router scores must be finite but contained " + s);
            }
        }
        scores = scores.clone();
    }

    /** Returns the threshold to report the single routing point at. */
    public double operatingThreshold() {
        return threshold.orElse(0.5);
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }
}
