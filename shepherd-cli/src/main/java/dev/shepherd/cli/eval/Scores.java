package dev.shepherd.cli.eval;

import dev.shepherd.core.metrics.Metrics;
import dev.shepherd.core.metrics.OperatingPoint;
import dev.shepherd.core.metrics.RoutingMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The derived metrics of a strategy relative to the floor (the small or cheapest model alone) and the reference (the
 * large or most expensive model alone), as docs/metrics.md defines them: the paper (docs/method.md#metrics)'s cost reduction, ACE and minimum
 * cost to 90 % of the reference's accuracy ({@link Metrics}), and RouteLLM's APGR and CPT and AutoMix's IBC lift
 * ({@link RoutingMetrics}). Where a metric is undefined (no accuracy gap, zero cost) the value is empty and shown
 * as "n/a" rather than an error.
 *
 * <p>Immutable and thread-safe.
 *
 * @param smallAccuracy A_s, the floor's accuracy
 * @param largeAccuracy A_l, the reference's accuracy
 * @param largeCost C_l, the reference's total USD
 * @param smallCost C_s, the floor's total USD
 * @param queries the number of queries (the gap metrics divide LLM calls by it); 0 leaves them undefined
 */
public record Scores(double smallAccuracy, double largeAccuracy, double largeCost, double smallCost, int queries) {

    /** The share of LLM accuracy the "minimum cost to reach" column targets. */
    public static final double TARGET_SHARE = 0.9;

    /** Scores without the floor's cost and the query count: the gap metrics and IBC lift are undefined. */
    public Scores(double smallAccuracy, double largeAccuracy, double largeCost) {
        this(smallAccuracy, largeAccuracy, largeCost, 0, 0);
    }

    /** Returns {@code 1 − C/C_l}, or empty when {@code C_l = 0}. */
    public OptionalDouble costReduction(double cost) {
        return largeCost > 0 ? OptionalDouble.of(Metrics.costReduction(cost, largeCost)) : OptionalDouble.empty();
    }

    /**
     * Returns ACE = [(A − A_s)/(A_l − A_s)] / [C/C_l]; empty when undefined (A_l = A_s, C = 0 or C_l = 0).
     * The floor is excluded by the paper: callers leave it out.
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

    /** Returns RouteLLM's APGR over the strategy's operating point and curve; empty when undefined. */
    public OptionalDouble apgr(StrategyResult r) {
        List<RoutingMetrics.GapPoint> points = gapPoints(r);
        return points == null ? OptionalDouble.empty() : OptionalDouble.of(RoutingMetrics.apgr(points));
    }

    /**
     * Returns RouteLLM's CPT(target): the share of queries that must call the reference model for the strategy to
     * recover {@code target} of the gap (0.5 for CPT(50 %)); empty when undefined or never reached.
     */
    public OptionalDouble cpt(StrategyResult r, double target) {
        List<RoutingMetrics.GapPoint> points = gapPoints(r);
        return points == null ? OptionalDouble.empty() : RoutingMetrics.cpt(points, target);
    }

    /** Returns AutoMix's IBC lift of the strategy's operating point; empty when undefined (e.g. C ≤ C_s). */
    public OptionalDouble ibcLift(StrategyResult r) {
        return RoutingMetrics.ibcLift(r.accuracy(), r.costUsd(), smallAccuracy, smallCost, largeAccuracy, largeCost);
    }

    private List<RoutingMetrics.GapPoint> gapPoints(StrategyResult r) {
        if (queries <= 0 || largeAccuracy == smallAccuracy) {
            return null;
        }
        List<RoutingMetrics.GapPoint> points = new ArrayList<>(r.curve().size() + 1);
        points.add(gap(r.largeCalls(), r.accuracy()));
        for (CurvePoint p : r.curve()) {
            points.add(gap(p.largeCalls(), p.accuracy()));
        }
        return points;
    }

    private RoutingMetrics.GapPoint gap(double largeCalls, double accuracy) {
        double x = Math.min(1, Math.max(0, largeCalls / queries));
        return new RoutingMetrics.GapPoint(x, RoutingMetrics.pgr(accuracy, smallAccuracy, largeAccuracy));
    }
}
