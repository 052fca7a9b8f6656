package dev.shepherd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.spi.LedgerStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LedgerStore} passes, and a {@link CostLedger} over it: totals equal the sum of
 * the stored entries; a second entry with a stored request id is refused and not counted, also when
 * concurrent writers race with the same ids; a reopened store (a restarted process) continues the totals;
 * a ledger over the store tells its listeners once per stored entry. Subclass it with {@link #open()} (a
 * fresh, empty store) and {@link #reopen(LedgerStore)} (close it and open the same storage again):
 *
 * <pre>{@code
 * class H2LedgerStoreTest extends LedgerStoreContract {
 *     protected LedgerStore open() { return JdbcLedgerStore.h2(dir.resolve("ledger")); }
 *     protected LedgerStore reopen(LedgerStore s) { s.close(); return JdbcLedgerStore.h2(dir.resolve("ledger")); }
 * }
 * }</pre>
 */
public abstract class LedgerStoreContract {

    private final List<LedgerStore> opened = new ArrayList<>();

    /** A fresh, empty store. */
    protected abstract LedgerStore open();

    /** Closes {@code store} and opens the same storage again, as a restarted process would. */
    protected abstract LedgerStore reopen(LedgerStore store);

    private LedgerStore store() {
        LedgerStore s = open();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(LedgerStore::close);
    }

    /** An entry with a small-model sample and a large-model hint, failed when {@code ok} is false. */
    protected static LedgerEntry entry(String id, double largeCost, boolean ok) {
        List<CallRecord> calls = List.of(
                new CallRecord(ModelRole.SMALL, "small", CallPurpose.SAMPLE, 10, 20, 0, Duration.ofMillis(5),
                        FinishReason.STOP, null),
                new CallRecord(ModelRole.LARGE, "large \"quoted\" ünï", CallPurpose.HINT, 12, 7, largeCost,
                        Duration.ofMillis(9), ok ? FinishReason.LENGTH : null, ok ? null : "down\nhard"));
        return new LedgerEntry(id, Instant.parse("2026-01-01T00:00:00.123456Z"), "reactive-shepherding", "q-" + id,
                ok ? Decision.hint(7) : null, calls, ok, ok ? null : "ModelCallException: down", List.of("n1", "n'2"));
    }

    @Test
    void should_sum_stored_entries_into_totals() {
        // given
        LedgerStore store = store();
        LedgerEntry a = entry("a", 0.5, true);
        LedgerEntry b = entry("b", 0.25, false);
        LedgerEntry c = new LedgerEntry("c", Instant.now(), "small-only", "q-c", Decision.smallOnly(), List.of(),
                true, null, null);

        // when
        boolean wroteA = store.append(a);
        boolean wroteB = store.append(b);
        boolean wroteC = store.append(c);

        // then
        assertThat(List.of(wroteA, wroteB, wroteC)).containsOnly(true);
        assertSameTotals(store.totals(), CostTotals.of(a).plus(CostTotals.of(b)).plus(CostTotals.of(c)));
    }

    @Test
    void should_refuse_a_second_entry_with_a_stored_request_id() {
        // given
        LedgerStore store = store();
        store.append(entry("same", 0.5, true));

        // when
        boolean again = store.append(entry("same", 0.5, true));
        boolean otherContent = store.append(entry("same", 9.0, false));

        // then
        assertThat(again).isFalse();
        assertThat(otherContent).isFalse();
        assertSameTotals(store.totals(), CostTotals.of(entry("same", 0.5, true)));
    }

    @Test
    void should_store_each_request_id_once_when_writers_race() throws Exception {
        // given: 8 writers, each writing the same 60 ids (every id by every writer)
        LedgerStore store = store();
        int writers = 8;
        int ids = 60;
        AtomicInteger written = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> futures = new ArrayList<>();

        // when
        for (int w = 0; w < writers; w++) {
            int offset = w;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < ids; i++) {
                    if (store.append(entry("race-" + ((i + offset * 7) % ids), 0.01, true))) {
                        written.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // then
        assertThat(written.get()).isEqualTo(ids);
        assertThat(store.totals().requests()).isEqualTo(ids);
        assertThat(store.totals().costUsd()).isCloseTo(ids * 0.01, within(1e-9));
    }

    @Test
    void should_continue_the_totals_after_a_restart() {
        // given
        LedgerStore store = open();
        CostLedger before = CostLedger.over(store);
        before.record(entry("r1", 0.5, true));
        before.record(entry("r2", 0.25, false));

        // when
        LedgerStore reopened = reopen(store);
        opened.add(reopened);
        CostLedger after = CostLedger.over(reopened);

        // then
        assertSameTotals(after.totals(), before.totals());
        assertThat(after.record(entry("r1", 0.5, true))).as("a write retried after the restart").isFalse();
        after.record(entry("r3", 1.0, true));
        assertThat(after.totals().requests()).isEqualTo(3);
        assertSameTotals(reopened.totals(), after.totals());
    }

    @Test
    void should_tell_ledger_listeners_once_per_stored_entry() {
        // given
        CostLedger ledger = CostLedger.over(store());
        List<String> seen = new ArrayList<>();
        ledger.addListener(e -> seen.add(e.requestId()));
        ledger.addListener(e -> {
            throw new IllegalStateException("a broken listener never breaks the ledger");
        });

        // when
        boolean first = ledger.record(entry("l1", 0.1, true));
        boolean dup = ledger.record(entry("l1", 0.1, true));
        ledger.record(entry("l2", 0.1, false));

        // then
        assertThat(first).isTrue();
        assertThat(dup).isFalse();
        assertThat(seen).containsExactly("l1", "l2");
        assertThat(ledger.totals().requests()).isEqualTo(2);
        assertThat(ledger.totals().failures()).isEqualTo(1);
    }

    /** Token counts exactly, dollars to 1e-9 (a database may sum in another order). */
    protected static void assertSameTotals(CostTotals actual, CostTotals expected) {
        assertThat(actual.costUsd()).isCloseTo(expected.costUsd(), within(1e-9));
        assertThat(new CostTotals(actual.requests(), actual.failures(), actual.largeCalls(), 0,
                actual.smallInputTokens(), actual.smallOutputTokens(), actual.largeInputTokens(),
                actual.largeOutputTokens(), actual.hintTokens()))
                .isEqualTo(new CostTotals(expected.requests(), expected.failures(), expected.largeCalls(), 0,
                        expected.smallInputTokens(), expected.smallOutputTokens(), expected.largeInputTokens(),
                        expected.largeOutputTokens(), expected.hintTokens()));
    }
}
