package dev.shepherd.jdbc;

import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.spi.LedgerStore;
import dev.shepherd.jdbc.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LedgerStore} in a {@link ShepherdDatabase}: each request's entry is one row of
 * {@code shepherd_ledger} (its totals precomputed) plus one row of {@code shepherd_ledger_call} per model call,
 * written in one transaction keyed by the request id. Hence: an entry is stored whole or not at all; a second
 * entry with a stored id is refused (the primary key, also across processes), so a retried write never counts
 * twice; {@link #totals()} is one aggregate query over every process's rows.
 *
 * <p>A write that fails on a lost connection or a serialisation conflict is retried on a fresh connection
 * (3 tries); when the database stays away it throws {@link StoreUnavailableException}. Text columns are cut to
 * their size (errors at 8,000 characters, marked {@code [truncated]}); notes are stored one per line.
 *
 * <p>Thread-safe. Obtained from {@link ShepherdDatabase#ledger()}; closing it does nothing (close the database).
 */
public final class JdbcLedgerStore implements LedgerStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcLedgerStore.class);
    private static final int TRIES = 3;
    private static final int TEXT = 8000;

    private static final String INSERT_ENTRY = "INSERT INTO shepherd_ledger (request_id, started_at, policy, query_id,"
            + " decision, succeeded, error, notes, cost_usd, used_large, small_input_tokens, small_output_tokens,"
            + " large_input_tokens, large_output_tokens, hint_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CALL = "INSERT INTO shepherd_ledger_call (request_id, seq, role, model, purpose,"
            + " input_tokens, output_tokens, cost_usd, latency_us, finish_reason, error, tier)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String TOTALS = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN succeeded THEN 0 ELSE 1 END), 0),"
            + " COALESCE(SUM(CASE WHEN used_large THEN 1 ELSE 0 END), 0), COALESCE(SUM(cost_usd), 0),"
            + " COALESCE(SUM(small_input_tokens), 0), COALESCE(SUM(small_output_tokens), 0),"
            + " COALESCE(SUM(large_input_tokens), 0), COALESCE(SUM(large_output_tokens), 0),"
            + " COALESCE(SUM(hint_tokens), 0) FROM shepherd_ledger";

    private final ShepherdDatabase db;

    JdbcLedgerStore(ShepherdDatabase db) {
        this.db = db;
    }

    /**
     * Writes the entry and its calls in one transaction.
     *
     * @return false when an entry with this request id is stored already (by any process)
     * @throws StoreUnavailableException when the database cannot be written after 3 tries
     */
    @Override
    public boolean append(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        boolean maybeCommitted = false;
        SQLException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try (Connection c = db.connection()) {
                try {
                    insert(c, entry);
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (Sql.isDuplicateKey(e)) {
                        // ours, when an earlier try lost its connection during the commit
                        return maybeCommitted;
                    }
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    maybeCommitted = true;
                    throw e;
                }
                return true;
            } catch (SQLException e) {
                last = e;
                if (!Sql.isTransient(e) || attempt == TRIES) {
                    break;
                }
                log.warn("ledger write of request {} failed (try {} of {}), retrying: {}", entry.requestId(),
                        attempt, TRIES, e.getMessage());
                sleep(50L * attempt * attempt);
            }
        }
        throw new StoreUnavailableException("cannot write the ledger entry of request " + entry.requestId()
                + " to " + db + ": " + last.getMessage(), last);
    }

    private static void insert(Connection c, LedgerEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ENTRY)) {
            CostTotals t = CostTotals.of(e);
            int i = 1;
            ps.setString(i++, e.requestId());
            ps.setObject(i++, OffsetDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC));
            ps.setString(i++, Sql.truncate(e.policy(), 200));
            ps.setString(i++, Sql.truncate(e.queryId(), 1000));
            ps.setString(i++, e.decision() == null ? null : e.decision().toString());
            ps.setBoolean(i++, e.succeeded());
            ps.setString(i++, Sql.truncate(e.error(), TEXT));
            ps.setString(i++, Sql.truncate(String.join("\n", e.notes().stream()
                    .map(n -> n.replace('\n', ' ')).toList()), TEXT));
            ps.setDouble(i++, t.costUsd());
            ps.setBoolean(i++, t.largeCalls() > 0);
            ps.setLong(i++, t.smallInputTokens());
            ps.setLong(i++, t.smallOutputTokens());
            ps.setLong(i++, t.largeInputTokens());
            ps.setLong(i++, t.largeOutputTokens());
            ps.setLong(i, t.hintTokens());
            ps.executeUpdate();
        }
        if (e.calls().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_CALL)) {
            int seq = 0;
            for (CallRecord call : e.calls()) {
                int i = 1;
                ps.setString(i++, e.requestId());
                ps.setInt(i++, seq++);
                ps.setString(i++, call.role().name());
                ps.setString(i++, Sql.truncate(call.model(), 1000));
                ps.setString(i++, call.purpose().name());
                ps.setInt(i++, call.inputTokens());
                ps.setInt(i++, call.outputTokens());
                ps.setDouble(i++, call.costUsd());
                ps.setLong(i++, call.latency().toNanos() / 1_000);
                ps.setString(i++, call.finishReason() == null ? null : call.finishReason().name());
                ps.setString(i++, Sql.truncate(call.error(), TEXT));
                ps.setString(i, Sql.truncate(call.tier(), 200));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The totals of every stored entry, written by any process: one aggregate query.
     *
     * @throws StoreUnavailableException when the database cannot be read
     */
    @Override
    public CostTotals totals() {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(TOTALS);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            CostTotals t = new CostTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9));
            c.commit();
            return t;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read the ledger totals from " + db + ": " + e.getMessage(), e);
        }
    }

    /** The number of stored entries. */
    public long count() {
        return totals().requests();
    }

    /**
     * The stored entry of {@code requestId}, as written (text cut to the column sizes, call latencies to
     * microseconds, the timestamp to the database's precision).
     */
    public Optional<LedgerEntry> find(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        try (Connection c = db.connection()) {
            Optional<LedgerEntry> found = read(c, requestId);
            c.commit();
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read request " + requestId + " from " + db + ": "
                    + e.getMessage(), e);
        }
    }

    private static Optional<LedgerEntry> read(Connection c, String requestId) throws SQLException {
        List<CallRecord> calls = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT role, model, purpose, input_tokens, output_tokens,"
                + " cost_usd, latency_us, finish_reason, error, tier FROM shepherd_ledger_call WHERE request_id = ? ORDER BY seq")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String finish = rs.getString(8);
                    ModelRole role = ModelRole.valueOf(rs.getString(1));
                    String tier = rs.getString(10);
                    calls.add(new CallRecord(role, rs.getString(2),
                            CallPurpose.valueOf(rs.getString(3)), rs.getInt(4), rs.getInt(5), rs.getDouble(6),
                            Duration.ofNanos(rs.getLong(7) * 1_000), finish == null ? null : FinishReason.valueOf(finish),
                            rs.getString(9), tier != null ? tier : role.label()));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT started_at, policy, query_id, decision, succeeded,"
                + " error, notes FROM shepherd_ledger WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String notes = rs.getString(7);
                return Optional.of(new LedgerEntry(requestId, rs.getObject(1, OffsetDateTime.class).toInstant(),
                        rs.getString(2), rs.getString(3), decision(rs.getString(4)), calls, rs.getBoolean(5),
                        rs.getString(6), notes.isEmpty() ? List.of() : Arrays.asList(notes.split("\n", -1))));
            }
        }
    }

    /** Parses {@link Decision#toString()}: {@code SMALL_ONLY}, {@code LARGE_FULL} or {@code HINT(n)}. */
    static Decision decision(String s) {
        if (s == null) {
            return null;
        }
        if (s.startsWith("HINT(") && s.endsWith(")")) {
            return Decision.hint(Integer.parseInt(s.substring(5, s.length() - 1)));
        }
        return switch (Decision.Kind.valueOf(s.toUpperCase(Locale.ROOT))) {
            case SMALL_ONLY -> Decision.smallOnly();
            case LARGE_FULL -> Decision.largeFull();
            case HINT -> throw new IllegalArgumentException("HINT without a token count: " + s);
        };
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is going back to the pool, which resets or evicts it
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "JdbcLedgerStore[" + db + "]";
    }
}
