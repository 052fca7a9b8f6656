package dev.shepherd.cli.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The measured outcome of one strategy over a set of queries.
 *
 * @param name strategy name ({@code slm-only}, {@code llm-only}, {@code oracle-routing}, ...)
 * @param accuracy accuracy in [0, 1]; a failed query counts as wrong
 * @param costUsd total cost over the set, USD (of the queries that completed)
 * @param largeCalls (expected) number of queries that called the LLM; fractional for expected values
 * @param hintTokens total LLM hint tokens bought
 * @param curve further operating points when the strategy has a knob (empty for single-point strategies)
 * @param note how it was computed, for the report (may be empty); names the first failure when there was one
 * @param failures how many queries failed under this strategy (a model call or the policy threw), ≥ 0
 */
public record StrategyResult(String name, double accuracy, double costUsd, double largeCalls, long hintTokens,
                             List<CurvePoint> curve, String note, int failures) {

    /** Validates and copies. */
    public StrategyResult {
        Objects.requireNonNull(name, "name");
        curve = curve == null ? List.of() : List.copyOf(curve);
        note = note == null ? "" : note;
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be >= 0 but was " + failures);
        }
    }

    /** A result without failures. */
    public StrategyResult(String name, double accuracy, double costUsd, double largeCalls, long hintTokens,
                          List<CurvePoint> curve, String note) {
        this(name, accuracy, costUsd, largeCalls, hintTokens, curve, note, 0);
    }

    /**
     * Routing a uniformly random {@code share} of the queries to the LLM, as its exact expected value (no sampling),
     * with a curve over the share in steps of 5 % plus the share at which the line crosses
     * {@link Scores#TARGET_SHARE} of LLM-only accuracy. The one implementation behind trace replay and label replay.
     *
     * @param share         the LLM-call share of the reported point, in [0, 1]
     * @param smallAccuracy small-model-only accuracy
     * @param largeAccuracy LLM-only accuracy
     * @param smallCost     small-model-only total cost, USD
     * @param largeCost     LLM-only total cost, USD
     * @param n             how many queries
     */
    static StrategyResult randomRouting(double share, double smallAccuracy, double largeAccuracy, double smallCost,
                                        double largeCost, int n) {
        List<CurvePoint> curve = new ArrayList<>();
        for (int k = 0; k <= 20; k++) {
            double s = k / 20.0;
            curve.add(new CurvePoint(s, smallAccuracy + s * (largeAccuracy - smallAccuracy),
                    smallCost + s * (largeCost - smallCost), s * n));
        }
        double target = Scores.TARGET_SHARE * largeAccuracy;
        if (largeAccuracy > smallAccuracy && target > smallAccuracy && target < largeAccuracy) {
            double s = (target - smallAccuracy) / (largeAccuracy - smallAccuracy);
            curve.add(new CurvePoint(s, target, smallCost + s * (largeCost - smallCost), s * n));
            curve.sort(Comparator.comparingDouble(CurvePoint::parameter));
        }
        return new StrategyResult("random-routing", smallAccuracy + share * (largeAccuracy - smallAccuracy),
                smallCost + share * (largeCost - smallCost), share * n, 0, curve, String.format(Locale.ROOT,
                "expected value of sending a random %.1f %% of queries to the LLM; curve over the share", 100 * share));
    }

    /** Creates a single-point result without failures. */
    public static StrategyResult point(String name, double accuracy, double costUsd, double largeCalls,
                                       long hintTokens, String note) {
        return point(name, accuracy, costUsd, largeCalls, hintTokens, note, 0);
    }

    /** Creates a single-point result with {@code failures} failed queries. */
    public static StrategyResult point(String name, double accuracy, double costUsd, double largeCalls,
                                       long hintTokens, String note, int failures) {
        return new StrategyResult(name, accuracy, costUsd, largeCalls, hintTokens, List.of(), note, failures);
    }
}
