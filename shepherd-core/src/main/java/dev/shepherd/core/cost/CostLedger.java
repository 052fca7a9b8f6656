package dev.shepherd.core.cost;

import dev.shepherd.core.spi.LedgerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records what every request cost: one {@link LedgerEntry} per request, successful or not, and
 * running {@link CostTotals}. Thread-safe and lock-free; {@link #totals()} is a consistent
 * snapshot.
 *
 * <p>Entries are kept in memory for export; a long-running service that only needs totals uses
 * {@link #totalsOnly()}; one whose entries must outlive the process writes them through a
 * {@link LedgerStore} ({@link #over(LedgerStore)}, e.g. {@code shepherd-jdbc}'s database ledger).
 * {@linkplain #addListener Listeners} see every recorded entry (metrics).
 */
public final class CostLedger {

    private static final Logger log = LoggerFactory.getLogger(CostLedger.class);

    private final boolean keepEntries;
    private final LedgerStore store;
    private final ConcurrentLinkedQueue<LedgerEntry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicReference<CostTotals> totals;
    private final List<LedgerListener> listeners = new CopyOnWriteArrayList<>();
    /** Dollars and answers per tier name: as many keys as tiers, so constant memory in every mode. */
    private final ConcurrentHashMap<String, DoubleAdder> tierCost =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> tierAnswers =
            new ConcurrentHashMap<>();

    private CostLedger(boolean keepEntries, LedgerStore store) {
        this.keepEntries = keepEntries;
        this.store = store;
        this.totals = new AtomicReference<>(store == null ? CostTotals.EMPTY : store.totals());
    }

    /** A ledger that keeps every entry (for export and evaluation) and the totals. */
    public static CostLedger create() {
        return new CostLedger(true, null);
    }

    /** A ledger that keeps only the totals: constant memory. */
    public static CostLedger totalsOnly() {
        return new CostLedger(false, null);
    }

    /**
     * A ledger that writes every entry through {@code store} before {@link #record} returns, and starts
     * from the store's totals, so a restarted process continues them. Keeps only the totals in memory
     * ({@link #entries()} is empty: read entries from the store). Closing the store is the caller's.
     *
     * <p>{@link #totals()} is the store's totals when this ledger was created plus what it recorded since;
     * other processes writing to the same store show in the store's own {@link LedgerStore#totals()}.
     */
    public static CostLedger over(LedgerStore store) {
        return new CostLedger(false, Objects.requireNonNull(store, "store"));
    }

    /**
     * Adds one request's entry: writes it to the store (when there is one), counts it in the totals and
     * tells the listeners.
     *
     * @return {@code false} when the store already held an entry with this request id (nothing counted)
     * @throws dev.shepherd.core.ShepherdException when the store cannot be written
     */
    public boolean record(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (store != null && !store.append(entry)) {
            return false;
        }
        CostTotals add = CostTotals.of(entry);
        // Totals first, then the entry: a reader never sees an entry missing from the totals.
        totals.accumulateAndGet(add, CostTotals::plus);
        for (CallRecord c : entry.calls()) {
            tierCost.computeIfAbsent(c.tier(), k -> new DoubleAdder()).add(c.costUsd());
        }
        CallRecord answered = entry.answeredBy();
        if (answered != null) {
            tierAnswers.computeIfAbsent(answered.tier(), k -> new LongAdder()).increment();
        }
        if (keepEntries) {
            entries.add(entry);
        }
        for (LedgerListener l : listeners) {
            try {
                l.onRecorded(entry);
            } catch (RuntimeException e) {
                log.warn("ledger listener {} failed on request {}; ignored", l, entry.requestId(), e);
            }
        }
        return true;
    }

    /**
     * Tells {@code listener} of every entry recorded from now on, in the recording thread, after the entry is
     * stored and counted. Thread-safe; a listener that throws is logged and skipped, never breaking a request.
     */
    public void addListener(LedgerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A snapshot of the totals so far. */
    public CostTotals totals() {
        return totals.get();
    }

    /**
     * Dollars per tier name recorded by this ledger instance (also {@link #totalsOnly()}; not read back
     * from a store), sorted by name: the per-tier books of a ladder ({@code "small"}/{@code "large"}
     * without one).
     */
    public SortedMap<String, Double> costByTier() {
        SortedMap<String, Double> out = new TreeMap<>();
        tierCost.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableSortedMap(out);
    }

    /** How many successful requests each tier answered (see {@link LedgerEntry#answeredBy()}), sorted by name. */
    public SortedMap<String, Long> answersByTier() {
        SortedMap<String, Long> out = new TreeMap<>();
        tierAnswers.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableSortedMap(out);
    }

    /** A copy of the entries so far, in recording order (empty for {@link #totalsOnly()}). */
    public List<LedgerEntry> entries() {
        return new ArrayList<>(entries);
    }

    /** Writes every entry as one JSON object per line. */
    public void writeJsonl(Writer out) throws IOException {
        for (LedgerEntry e : entries) {
            out.write(toJson(e));
            out.write('\n');
        }
        out.flush();
    }

    /** Writes every entry to a JSONL file, replacing it. */
    public void writeJsonl(Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeJsonl(w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ledger to " + file, e);
        }
    }

    /** One entry as a single-line JSON object. */
    public static String toJson(LedgerEntry e) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"request_id\":").append(Json.quote(e.requestId()))
                .append(",\"timestamp\":").append(Json.quote(e.timestamp().toString()))
                .append(",\"policy\":").append(Json.quote(e.policy()))
                .append(",\"query_id\":").append(Json.quote(e.queryId()))
                .append(",\"decision\":").append(Json.quote(e.decision() == null ? null : e.decision().toString()))
                .append(",\"succeeded\":").append(e.succeeded())
                .append(",\"error\":").append(Json.quote(e.error()))
                .append(",\"cost_usd\":").append(Json.number(e.costUsd()))
                .append(",\"notes\":[");
        for (int i = 0; i < e.notes().size(); i++) {
            sb.append(i == 0 ? "" : ",").append(Json.quote(e.notes().get(i)));
        }
        sb.append("],\"calls\":[");
        for (int i = 0; i < e.calls().size(); i++) {
            CallRecord c = e.calls().get(i);
            sb.append(i == 0 ? "" : ",")
                    .append("{\"role\":").append(Json.quote(c.role().label()))
                    .append(",\"tier\":").append(Json.quote(c.tier()))
                    .append(",\"model\":").append(Json.quote(c.model()))
                    .append(",\"purpose\":").append(Json.quote(c.purpose().name().toLowerCase(Locale.ROOT)))
                    .append(",\"input_tokens\":").append(c.inputTokens())
                    .append(",\"output_tokens\":").append(c.outputTokens())
                    .append(",\"cost_usd\":").append(Json.number(c.costUsd()))
                    .append(",\"latency_ms\":").append(c.latency().toMillis())
                    .append(",\"finish_reason\":").append(Json.quote(c.finishReason() == null ? null : c.finishReason().name()))
                    .append(",\"error\":").append(Json.quote(c.error()))
                    .append('}');
        }
        return sb.append("]}").toString();
    }
}
