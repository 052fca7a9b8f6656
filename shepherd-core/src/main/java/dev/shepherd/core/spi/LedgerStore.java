package dev.shepherd.core.spi;

import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.core.cost.LedgerEntry;

/**
 * Where a {@link CostLedger} created with {@link CostLedger#over(LedgerStore)} writes each request's entry,
 * and reads its totals from when it opens, so a restarted process continues them.
 *
 * <p>The contract, which every implementation's test checks by extending the core test-jar's
 * {@code LedgerStoreContract}:
 * <ul>
 *   <li>{@link #append} is atomic and durable: when it returns, the whole entry is stored (a process killed
 *       afterwards keeps it); when it throws or the process dies inside it, either nothing or the whole entry
 *       is stored, never a part.</li>
 *   <li>{@link #append} is idempotent per {@link LedgerEntry#requestId()}: a second entry with a stored id is
 *       not written and the call returns {@code false}, so a retried write never counts a request twice.</li>
 *   <li>{@link #totals()} sums every stored entry, whoever wrote it (other processes sharing the store
 *       included).</li>
 * </ul>
 *
 * <p>Implementations are thread-safe. {@link #close()} releases what the store holds (connections, files)
 * and is idempotent.
 */
public interface LedgerStore extends AutoCloseable {

    /**
     * Stores one entry unless an entry with the same request id is stored already.
     *
     * @return {@code true} when the entry was written, {@code false} when its request id was already stored
     * @throws dev.shepherd.core.ShepherdException when the store cannot be written; nothing was stored then,
     *                                             or the whole entry was (a retry with the same entry is safe)
     */
    boolean append(LedgerEntry entry);

    /** The totals of every stored entry. */
    CostTotals totals();

    /** Releases the store's resources; idempotent. The default does nothing. */
    @Override
    default void close() {
    }

    /**
     * A thread-safe store in this process's memory that keeps every entry by request id: idempotent like a
     * database store, lost when the process ends. For tests and for code written against the SPI.
     */
    static LedgerStore inMemory() {
        return new InMemoryLedgerStore();
    }
}
