package dev.shepherd.core.metrics;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The paper's evaluation metrics (docs/method.md#metrics): cost reduction against LLM-only,
 * accuracy-per-cost efficiency (ACE) and the minimum cost to reach a fraction of the large
 * model's accuracy. Accuracies may be shares or percentages as long as one call uses one unit.
 * Stateless and thread-safe.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * 1 − C_π / C_l: the share of the LLM-only cost saved.
     *
     * @throws IllegalArgumentException when a cost is negative or not finite, or C_l = 0
     */
    public static double costReduction(double costUsd, double largeOnlyCostUsd) {
        check("costUsd", costUsd);
        check("largeOnlyCostUsd", largeOnlyCostUsd);
        if (largeOnlyCostUsd == 0) {
            throw new IllegalArgumentException("largeOnlyCostUsd must be > 0 to compare against but was 0");
        }
        return 1 - costUsd / largeOnlyCostUsd;
    }

    /** {@link #costReduction(double, double)} of two scores. */
    public static double costReduction(StrategyScore strategy, StrategyScore largeOnly) {
        return costReduction(strategy.costUsd(), largeOnly.costUsd());
    }

    /**
     * ACE(π) = [(A_π − A_s) / (A_l − A_s)] / [C_π / C_l]: the share of the SLM→LLM accuracy gap
     * a strategy closes, per share of the LLM-only cost it pays. 1 is what mixing SLM-only and
     * LLM-only answers at random achieves; higher is better.
     *
     * @param accuracy    A_π
     * @param costUsd     C_π, &gt; 0
     * @param smallAccuracy A_s, the small model alone
     * @param largeAccuracy A_l, the large model alone, ≠ A_s
     * @param largeCostUsd  C_l, &gt; 0
     * @throws IllegalArgumentException when A_l = A_s (no gap to close), a cost is ≤ 0 or any value is not finite
     */
    public static double ace(double accuracy, double costUsd, double smallAccuracy, double largeAccuracy,
                             double largeCostUsd) {
        finite("accuracy", accuracy);
        finite("smallAccuracy", smallAccuracy);
        finite("largeAccuracy", largeAccuracy);
        check("costUsd", costUsd);
        check("largeCostUsd", largeCostUsd);
        if (largeAccuracy == smallAccuracy) {
            throw new IllegalArgumentException("ACE is undefined when largeAccuracy equals smallAccuracy (both "
                    + largeAccuracy + "): there is no accuracy gap to close");
        }
        if (largeCostUsd == 0) {
            throw new IllegalArgumentException("ACE is undefined when largeCostUsd is 0");
        }
        if (costUsd == 0) {
            throw new IllegalArgumentException("ACE is undefined when costUsd is 0 (a strategy that never pays "
                    + "the large model is the SLM-only baseline, which ACE excludes)");
        }
        return ((accuracy - smallAccuracy) / (largeAccuracy - smallAccuracy)) / (costUsd / largeCostUsd);
    }

    /**
     * ACE of a strategy's score against the SLM-only and LLM-only scores.
     *
     * @throws IllegalArgumentException when {@code strategy} is the SLM-only score itself, or as in
     *         {@link #ace(double, double, double, double, double)}
     */
    public static double ace(StrategyScore strategy, StrategyScore smallOnly, StrategyScore largeOnly) {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(smallOnly, "smallOnly");
        Objects.requireNonNull(largeOnly, "largeOnly");
        if (strategy == smallOnly || strategy.name().equals(smallOnly.name())) {
            throw new IllegalArgumentException("ACE excludes the SLM-only baseline '" + smallOnly.name() + "'");
        }
        return ace(strategy.accuracy(), strategy.costUsd(), smallOnly.accuracy(), largeOnly.accuracy(),
                largeOnly.costUsd());
    }

    /**
     * The cheapest point of a cost/accuracy curve whose accuracy is at least
     * {@code fraction · largeAccuracy} (the paper reports fraction = 0.9); ties go to the more
     * accurate point.
     *
     * @param curve       one strategy's operating points, e.g. a threshold sweep
     * @param fraction    in (0, 1]
     * @param largeAccuracy A_l, in the points' unit
     * @return empty when no point reaches the target
     */
    public static Optional<OperatingPoint> minimumCostToReach(List<OperatingPoint> curve, double fraction,
                                                              double largeAccuracy) {
        Objects.requireNonNull(curve, "curve");
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1] but was " + fraction);
        }
        finite("largeAccuracy", largeAccuracy);
        double target = fraction * largeAccuracy;
        OperatingPoint best = null;
        for (OperatingPoint p : curve) {
            // Tolerance: fraction · A_l is computed in floating point and would miss exact hits like 0.9 · 0.9.
            if (p.accuracy() < target - 1e-9 * Math.max(1, Math.abs(target))) {
                continue;
            }
            if (best == null || p.costUsd() < best.costUsd()
                    || (p.costUsd() == best.costUsd() && p.accuracy() > best.accuracy())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    private static void check(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0 but was " + value);
        }
    }

    private static void finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite but was " + value);
        }
    }
}
