package dev.shepherd.core.spi;

import dev.shepherd.core.testing.LedgerStoreContract;

class InMemoryLedgerStoreTest extends LedgerStoreContract {

    @Override
    protected LedgerStore open() {
        return LedgerStore.inMemory();
    }

    @Override
    protected LedgerStore reopen(LedgerStore store) {
        return store; // memory outlives nothing: the same store stands in for the restarted process's
    }
}
