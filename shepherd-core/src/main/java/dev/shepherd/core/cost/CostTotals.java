package dev.shepherd.core.cost;

import dev.shepherd.core.model.ModelRole;

/**
 * An immutable snapshot of a ledger's totals, value-based like Caffeine's {@code CacheStats}.
 *
 * @param requests          requests recorded
 * @param failures          requests that ended in an exception
 * @param largeCalls        requests that called the large model at least once
 * @param costUsd           total dollars
 * @param smallInputTokens  small-model prompt tokens
 * @param smallOutputTokens small-model generated tokens
 * @param largeInputTokens  large-model prompt tokens
 * @param largeOutputTokens large-model generated tokens
 * @param hintTokens        large-model tokens bought as hints (part of largeOutputTokens)
 */
public record CostTotals(long requests, long failures, long largeCalls, double costUsd,
                         long smallInputTokens, long smallOutputTokens,
                         long largeInputTokens, long largeOutputTokens, long hintTokens) {

    /** Nothing recorded. */
    public static final CostTotals EMPTY = new CostTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The totals of one entry. */
    public static CostTotals of(LedgerEntry e) {
        boolean usedLarge = e.calls().stream().anyMatch(c -> c.role() == ModelRole.LARGE);
        return new CostTotals(1, e.succeeded() ? 0 : 1, usedLarge ? 1 : 0, e.costUsd(),
                e.tokens(ModelRole.SMALL, false), e.tokens(ModelRole.SMALL, true),
                e.tokens(ModelRole.LARGE, false), e.tokens(ModelRole.LARGE, true), e.hintTokens());
    }

    /** The sum of two totals. */
    public CostTotals plus(CostTotals o) {
        return new CostTotals(requests + o.requests, failures + o.failures, largeCalls + o.largeCalls,
                costUsd + o.costUsd, smallInputTokens + o.smallInputTokens, smallOutputTokens + o.smallOutputTokens,
                largeInputTokens + o.largeInputTokens, largeOutputTokens + o.largeOutputTokens,
                hintTokens + o.hintTokens);
    }

    /** Mean dollars per request, 0 when empty. */
    public double averageCostUsd() {
        return requests == 0 ? 0 : costUsd / requests;
    }

    /** Share of requests that paid the large model anything. */
    public double largeCallRate() {
        return requests == 0 ? 0 : (double) largeCalls / requests;
    }
}
