package dev.shepherd.cli.eval;

import java.util.List;
import java.util.Objects;

/**
 * The measured outcome of one strategy over a set of queries.
 *
 * @param name strategy name ({@code slm-only}, {@code llm-only}, {@code oracle-routing}, ...)
 * @param accuracy accuracy in [0, 1]
 * @param costUsd total cost over the set, USD
 * @param llmCalls (expected) number of queries that called the LLM; fractional for expected values
 * @param hintTokens total LLM hint tokens bought
 * @param curve further operating points when the strategy has a knob (empty for single-point strategies)
 * @param note how it was computed, for the report (may be empty)
 */
public record StrategyResult(String name, double accuracy, double costUsd, double llmCalls, long hintTokens,
                             List<CurvePoint> curve, String note) {

    /** Validates and copies. */
    public StrategyResult {
        Objects.requireNonNull(name, "name");
        curve = curve == null ? List.of() : List.copyOf(curve);
        note = note == null ? "" : note;
    }

    /** Creates a single-point result. */
    public static StrategyResult point(String name, double accuracy, double costUsd, double llmCalls,
                                       long hintTokens, String note) {
        return new StrategyResult(name, accuracy, costUsd, llmCalls, hintTokens, List.of(), note);
    }
}
