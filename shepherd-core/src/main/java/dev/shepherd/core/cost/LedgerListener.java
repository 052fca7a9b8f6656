package dev.shepherd.core.cost;

/**
 * Told of every entry a {@link CostLedger} records, after it is stored and counted in the totals: the hook
 * for metrics (e.g. {@code shepherd-micrometer}'s {@code ShepherdMetrics}), alerts or audit logs. A
 * duplicate entry that the ledger's store refused is not passed on.
 *
 * <p>Called on the thread that answered the request, so it should be quick and must be thread-safe. It never
 * breaks the request: an exception it throws is logged and dropped.
 */
@FunctionalInterface
public interface LedgerListener {

    /** One request's entry, just recorded. */
    void onRecorded(LedgerEntry entry);
}
