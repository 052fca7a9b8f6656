package dev.shepherd.core.metrics;

import java.util.Objects;

/**
 * How one strategy did over a set of queries: an immutable, value-based snapshot like Caffeine's
 * {@code CacheStats}. Accuracy is a share in [0, 1].
 *
 * @param name       the strategy's name (e.g. a policy's {@code name()})
 * @param queries    queries scored, ≥ 0
 * @param correct    queries answered correctly, 0 ≤ correct ≤ queries
 * @param costUsd    total dollars, finite and ≥ 0
 * @param largeCalls   queries that paid the large model anything, 0 ≤ largeCalls ≤ queries
 * @param hintTokens large-model tokens bought as hints (or help), ≥ 0
 */
public record StrategyScore(String name, long queries, long correct, double costUsd, long largeCalls, long hintTokens) {

    /** Validates the counts and the cost. */
    public StrategyScore {
        Objects.requireNonNull(name, "name");
        if (queries < 0) {
            throw new IllegalArgumentException("queries must be >= 0 but was " + queries);
        }
        if (correct < 0 || correct > queries) {
            throw new IllegalArgumentException("correct must be in [0, queries = " + queries + "] but was " + correct);
        }
        if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
            throw new IllegalArgumentException("costUsd must be finite and >= 0 but was " + costUsd);
        }
        if (largeCalls < 0 || largeCalls > queries) {
            throw new IllegalArgumentException("largeCalls must be in [0, queries = " + queries + "] but was " + largeCalls);
        }
        if (hintTokens < 0) {
            throw new IllegalArgumentException("hintTokens must be >= 0 but was " + hintTokens);
        }
    }

    /** A score with nothing recorded. */
    public static StrategyScore empty(String name) {
        return new StrategyScore(name, 0, 0, 0, 0, 0);
    }

    /** Share of queries answered correctly, 0 when none was scored. */
    public double accuracy() {
        return queries == 0 ? 0 : (double) correct / queries;
    }

    /** Share of queries that called the large model, 0 when none was scored. */
    public double largeCallRate() {
        return queries == 0 ? 0 : (double) largeCalls / queries;
    }

    /** Mean dollars per query, 0 when none was scored. */
    public double averageCostUsd() {
        return queries == 0 ? 0 : costUsd / queries;
    }

    /** The sum of two scores of the same strategy (e.g. two shards of an evaluation). */
    public StrategyScore plus(StrategyScore other) {
        return new StrategyScore(name, queries + other.queries, correct + other.correct, costUsd + other.costUsd,
                largeCalls + other.largeCalls, hintTokens + other.hintTokens);
    }

    /** This score as a point of a cost/accuracy curve. */
    public OperatingPoint toOperatingPoint() {
        return new OperatingPoint(name, costUsd, accuracy());
    }
}
