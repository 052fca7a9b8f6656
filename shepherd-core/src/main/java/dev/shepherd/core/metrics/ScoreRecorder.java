package dev.shepherd.core.metrics;

import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.run.ShepherdResult;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Accumulates per-query outcomes of one strategy (correct?, cost, large-model call?, hint tokens)
 * and hands out {@link StrategyScore} snapshots, like Caffeine's {@code StatsCounter} and
 * {@code CacheStats}. Thread-safe and lock-free; every snapshot is consistent (it never shows a
 * query's cost without its correctness).
 */
public final class ScoreRecorder {

    private final String name;
    private final AtomicReference<StrategyScore> score;

    private ScoreRecorder(String name) {
        this.name = name;
        this.score = new AtomicReference<>(StrategyScore.empty(name));
    }

    /** A recorder for the strategy called {@code name}. */
    public static ScoreRecorder named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank but was '" + name + "'");
        }
        return new ScoreRecorder(name);
    }

    /** The strategy's name, as every snapshot carries it. */
    public String name() {
        return name;
    }

    /**
     * Records one query.
     *
     * @throws IllegalArgumentException when the cost is negative or not finite, or hint tokens are negative
     */
    public void record(boolean correct, double costUsd, boolean largeCall, long hintTokens) {
        StrategyScore one = new StrategyScore(name, 1, correct ? 1 : 0, costUsd, largeCall ? 1 : 0, hintTokens);
        score.accumulateAndGet(one, StrategyScore::plus);
    }

    /** Records one executor result: its cost, whether a large-model call succeeded (was paid), its hint/help tokens. */
    public void record(ShepherdResult result, boolean correct) {
        Objects.requireNonNull(result, "result");
        boolean paidLarge = result.calls().stream().anyMatch(c -> c.role() == ModelRole.LARGE && !c.failed());
        record(correct, result.costUsd(), paidLarge, CallRecord.totalHintTokens(result.calls()));
    }

    /** A consistent snapshot of everything recorded so far. */
    public StrategyScore snapshot() {
        return score.get();
    }
}
