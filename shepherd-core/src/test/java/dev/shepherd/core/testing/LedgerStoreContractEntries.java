package dev.shepherd.core.testing;

import dev.shepherd.core.cost.LedgerEntry;

/** The contract's sample entries, for tests of stores outside the contract (crash tests, benchmarks). */
public final class LedgerStoreContractEntries {

    private LedgerStoreContractEntries() {
    }

    /** An entry with a small-model sample and a large-model hint costing {@code largeCost}; failed unless {@code ok}. */
    public static LedgerEntry entry(String id, double largeCost, boolean ok) {
        return LedgerStoreContract.entry(id, largeCost, ok);
    }
}
