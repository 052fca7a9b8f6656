package dev.shepherd.core.cost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records what every request cost: one {@link LedgerEntry} per request, successful or not, and
 * running {@link CostTotals}. Thread-safe and lock-free; {@link #totals()} is a consistent
 * snapshot.
 *
 * <p>Entries are kept in memory for export; a long-running service that only needs totals uses
 * {@link #totalsOnly()}.
 */
public final class CostLedger {

    private final boolean keepEntries;
    private final ConcurrentLinkedQueue<LedgerEntry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicReference<CostTotals> totals = new AtomicReference<>(CostTotals.EMPTY);

    private CostLedger(boolean keepEntries) {
        this.keepEntries = keepEntries;
    }

    /** A ledger that keeps every entry (for export and evaluation) and the totals. */
    public static CostLedger create() {
        return new CostLedger(true);
    }

    /** A ledger that keeps only the totals: constant memory. */
    public static CostLedger totalsOnly() {
        return new CostLedger(false);
    }

    /** Adds one request's entry. */
    public void record(LedgerEntry entry) {
        CostTotals add = CostTotals.of(entry);
        // Totals first, then the entry: a reader never sees an entry missing from the totals.
        totals.accumulateAndGet(add, CostTotals::plus);
        if (keepEntries) {
            entries.add(entry);
        }
    }

    /** A snapshot of the totals so far. */
    public CostTotals totals() {
        return totals.get();
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
