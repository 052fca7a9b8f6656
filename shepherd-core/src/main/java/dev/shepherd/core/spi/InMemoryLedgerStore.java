package dev.shepherd.core.spi;

import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.core.cost.LedgerEntry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** {@link LedgerStore#inMemory()}: entries by request id, totals added on each first write. Thread-safe. */
final class InMemoryLedgerStore implements LedgerStore {

    private final ConcurrentHashMap<String, LedgerEntry> entries = new ConcurrentHashMap<>();
    private final AtomicReference<CostTotals> totals = new AtomicReference<>(CostTotals.EMPTY);

    @Override
    public boolean append(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entries.putIfAbsent(entry.requestId(), entry) != null) {
            return false;
        }
        totals.accumulateAndGet(CostTotals.of(entry), CostTotals::plus);
        return true;
    }

    @Override
    public CostTotals totals() {
        return totals.get();
    }

    @Override
    public String toString() {
        return "LedgerStore.inMemory[" + entries.size() + " entries]";
    }
}
