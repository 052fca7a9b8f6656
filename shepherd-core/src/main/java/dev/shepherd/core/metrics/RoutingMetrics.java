package dev.shepherd.core.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The metrics routing work compares by (docs/metrics.md), beside the paper's ACE ({@link Metrics}): RouteLLM's
 * performance gap recovered (PGR), its average over the cost sweep (APGR) and the cost to reach a share of the gap
 * (CPT), from Ong et al., "RouteLLM: Learning to Route LLMs with Preference Data" (arXiv 2406.18665); and AutoMix's
 * incremental benefit per cost lift (IBC lift), from Aggarwal et al., "AutoMix: Automatically Mixing Language
 * Models" (arXiv 2310.12963).
 *
 * <p>The floor is the cheapest model alone (accuracy A_s, cost C_s), the reference the most expensive one (A_l, C_l),
 * as ACE has them. The gap metrics measure cost as RouteLLM does: x = the share of queries that called the
 * reference model. A strategy's <em>gap curve</em> is the polyline through its operating points {@code (x, PGR)} and
 * the two anchors (0, 0) (the floor alone) and (1, 1) (the reference alone), sorted by x, keeping the highest PGR at
 * equal x; every point on it is reachable in expectation by sending each query at random to one of the two
 * neighbouring operating points.
 *
 * <p>Stateless and thread-safe.
 */
public final class RoutingMetrics {

    private RoutingMetrics() {
    }

    /**
     * One operating point on a gap curve.
     *
     * @param referenceShare x: the share of queries that called the reference model, in [0, 1]
     * @param pgr the performance gap recovered at that point (any finite value: above 1 beats the reference)
     */
    public record GapPoint(double referenceShare, double pgr) {

        /** Validates. */
        public GapPoint {
            if (!(referenceShare >= 0 && referenceShare <= 1)) {
                throw new IllegalArgumentException("referenceShare must be in [0, 1] but was " + referenceShare);
            }
            if (!Double.isFinite(pgr)) {
                throw new IllegalArgumentException("pgr must be finite but was " + pgr);
            }
        }
    }

    /**
     * PGR = (A − A_s) / (A_l − A_s): the share of the floor-to-reference accuracy gap a strategy closes (RouteLLM).
     *
     * @throws IllegalArgumentException when A_l = A_s (no gap) or a value is not finite
     */
    public static double pgr(double accuracy, double floorAccuracy, double referenceAccuracy) {
        finite("accuracy", accuracy);
        finite("floorAccuracy", floorAccuracy);
        finite("referenceAccuracy", referenceAccuracy);
        if (referenceAccuracy == floorAccuracy) {
            throw new IllegalArgumentException("PGR is undefined when referenceAccuracy equals floorAccuracy (both "
                    + floorAccuracy + "): there is no gap to recover");
        }
        return (accuracy - floorAccuracy) / (referenceAccuracy - floorAccuracy);
    }

    /**
     * APGR = ∫₀¹ PGR(x) dx over the gap curve of the points (RouteLLM's average performance gap recovered, computed
     * exactly on the polyline rather than at RouteLLM's ten call shares). Random routing between the floor and the
     * reference scores 0.5; a strategy that never beats random scores at most 0.5.
     *
     * @param points the strategy's operating points (one for a single-point strategy, a sweep otherwise)
     */
    public static double apgr(List<GapPoint> points) {
        List<GapPoint> c = curve(points);
        double area = 0;
        for (int i = 1; i < c.size(); i++) {
            GapPoint a = c.get(i - 1);
            GapPoint b = c.get(i);
            area += (b.referenceShare() - a.referenceShare()) * (a.pgr() + b.pgr()) / 2;
        }
        return area;
    }

    /**
     * CPT(p): the smallest reference share x at which the gap curve reaches PGR ≥ p (RouteLLM's "call-performance
     * threshold", e.g. CPT(50 %) with p = 0.5), interpolated within the segment that crosses p. Random routing needs
     * x = p.
     *
     * @param target p, finite
     * @return empty when the curve never reaches p (possible only for p &gt; 1)
     */
    public static OptionalDouble cpt(List<GapPoint> points, double target) {
        finite("target", target);
        List<GapPoint> c = curve(points);
        // tolerance: PGR is a ratio computed in floating point and would miss exact hits like (0.7 − 0.6)/(0.8 − 0.6)
        double reach = target - 1e-9 * Math.max(1, Math.abs(target));
        if (c.get(0).pgr() >= reach) {
            return OptionalDouble.of(0);
        }
        for (int i = 1; i < c.size(); i++) {
            GapPoint a = c.get(i - 1);
            GapPoint b = c.get(i);
            if (b.pgr() >= reach) {
                double t = Math.min(1, Math.max(0, (target - a.pgr()) / (b.pgr() - a.pgr())));
                return OptionalDouble.of(a.referenceShare() + t * (b.referenceShare() - a.referenceShare()));
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * IBC lift = IBC_π / IBC_base − 1 (AutoMix's ΔIBC as a fraction), where IBC_π = (A_π − A_s) / (C_π − C_s) is the
     * accuracy a strategy buys per dollar above the floor's cost and IBC_base = (A_l − A_s) / (C_l − C_s) that of the
     * straight line from the floor to the reference. 0 for the reference itself and for random routing; above 0
     * buys accuracy more cheaply than the line. With a free floor (C_s = 0) it equals ACE − 1.
     *
     * @return empty when undefined: C_π ≤ C_s (a strategy no dearer than the floor), C_l ≤ C_s or A_l = A_s
     */
    public static OptionalDouble ibcLift(double accuracy, double cost, double floorAccuracy, double floorCost,
                                         double referenceAccuracy, double referenceCost) {
        finite("accuracy", accuracy);
        finite("cost", cost);
        finite("floorAccuracy", floorAccuracy);
        finite("floorCost", floorCost);
        finite("referenceAccuracy", referenceAccuracy);
        finite("referenceCost", referenceCost);
        if (cost <= floorCost || referenceCost <= floorCost || referenceAccuracy == floorAccuracy) {
            return OptionalDouble.empty();
        }
        double ibc = (accuracy - floorAccuracy) / (cost - floorCost);
        double base = (referenceAccuracy - floorAccuracy) / (referenceCost - floorCost);
        return OptionalDouble.of(ibc / base - 1);
    }

    /** The gap curve: points plus anchors, by x, the best PGR at equal x. */
    static List<GapPoint> curve(List<GapPoint> points) {
        Objects.requireNonNull(points, "points");
        List<GapPoint> all = new ArrayList<>(points.size() + 2);
        all.add(new GapPoint(0, 0));
        all.add(new GapPoint(1, 1));
        for (GapPoint p : points) {
            all.add(Objects.requireNonNull(p, "point"));
        }
        all.sort(Comparator.comparingDouble(GapPoint::referenceShare)
                .thenComparing(Comparator.comparingDouble(GapPoint::pgr).reversed()));
        List<GapPoint> out = new ArrayList<>(all.size());
        for (GapPoint p : all) {
            if (out.isEmpty() || out.get(out.size() - 1).referenceShare() != p.referenceShare()) {
                out.add(p);
            }
        }
        return out;
    }

    private static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite but was " + value);
        }
    }
}
