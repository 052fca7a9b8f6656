package dev.shepherd.cli.eval;

import dev.shepherd.core.metrics.Metrics;
import dev.shepherd.core.metrics.OperatingPoint;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The paper's derived metrics (docs/method.md#metrics) of a strategy relative to the SLM-only and LLM-only baselines,
 * computed by shepherd-core's {@link Metrics}; where a metric is undefined (no accuracy gap, zero cost) the value
 * is empty and shown as "n/a" rather than an error.
 *
 * <p>Immutable and thread-safe.
 *
 * @param smallAccuracy A_s
 * @param largeAccuracy A_l
 * @param largeCost C_l, total USD
 */
public record Scores(double smallAccuracy, double largeAccuracy, double largeCost) {

    /** The share of LLM accuracy the "minimum cost to reach" column targets. */
    public static final double TARGET_SHARE = 0.9;

    /** Returns {@code 1 − C/C_l}, or empty when {@code C_l = 0}. */
    public OptionalDouble costReduction(double cost) {
        return largeCost > 0 ? OptionalDouble.of(Metrics.costReduction(cost, largeCost)) : OptionalDouble.empty();
    }

    /**
     * Returns ACE = [(A − A_s)/(A_l − A_s)] / [C/C_l]; empty when undefined (A_l = A_s, C = 0 or C_l = 0).
     * SLM-only is excluded by the paper: callers leave it out.
     */
    public OptionalDouble ace(double accuracy, double cost) {
        if (largeAccuracy == smallAccuracy || cost <= 0 || largeCost <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Metrics.ace(accuracy, cost, smallAccuracy, largeAccuracy, largeCost));
    }

    /** Returns the accuracy a strategy must reach: {@code 0.9 · A_l}. */
    public double targetAccuracy() {
        return TARGET_SHARE * largeAccuracy;
    }

    /**
     * Returns the minimum cost at which the strategy reaches 90 % of LLM accuracy: its own cost for a single point
     * that reaches it, the cheapest reaching point of its curve, or empty ("not reached").
     */
    public OptionalDouble minCostToTarget(StrategyResult r) {
        List<OperatingPoint> points = new ArrayList<>(r.curve().size() + 1);
        points.add(new OperatingPoint(r.name(), r.costUsd(), r.accuracy()));
        for (CurvePoint p : r.curve()) {
            points.add(new OperatingPoint(r.name() + "@" + p.parameter(), p.costUsd(), p.accuracy()));
        }
        return Metrics.minimumCostToReach(points, TARGET_SHARE, largeAccuracy)
                .map(p -> OptionalDouble.of(p.costUsd())).orElse(OptionalDouble.empty());
    }
}
