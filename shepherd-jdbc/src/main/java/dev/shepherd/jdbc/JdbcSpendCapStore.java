package dev.shepherd.jdbc;

import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.spi.SpendCapStore;
import dev.shepherd.jdbc.internal.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SpendCapStore} in a {@link ShepherdDatabase}, shared by every process that opens the same cap name:
 * a fleet of JVMs reserving against one rolling-window budget, with the in-process cap's semantics.
 *
 * <p><b>Locking.</b> Each reservation, settlement or read is one transaction that first locks the cap's row
 * ({@code SELECT ... FOR UPDATE} on {@code shepherd_spend_cap}), then expires the reservations whose window has
 * passed, then checks {@code spent + worstCase <= limit} and adds the reservation. All changes to one cap are
 * therefore serialised across processes, and since every transaction takes the cap's row first, they cannot
 * deadlock. Amounts are exact decimals ({@code NUMERIC(24,12)}, worst cases rounded up), and times are the
 * database's, so processes with skewed clocks agree on the window.
 *
 * <p><b>Killed processes.</b> A reservation never settled keeps its worst case (the call may have been billed)
 * until it leaves the window, then expires like any other: nothing leaks beyond the window. Reservation rows are
 * kept as an audit trail, marked expired.
 *
 * <p><b>Outages.</b> When the database cannot be reached within the pool's connection timeout, a reservation
 * is refused per {@link OutagePolicy}: as a reached cap (the small model answers) or by failing the request.
 * Never uncapped. A settlement that cannot be written after 3 tries is logged and dropped: its worst case stays
 * reserved until the window passes (conservative).
 *
 * <p>Every process should open a cap with the same limit and window: each checks its own limit against the
 * shared spend, and dates its own reservations' expiry. Thread-safe.
 */
public final class JdbcSpendCapStore implements SpendCapStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcSpendCapStore.class);
    private static final int SCALE = 12;
    private static final int TRIES = 3;

    private final ShepherdDatabase db;
    private final String name;
    private final double limitUsd;
    private final BigDecimal limit;
    private final Duration window;
    private final OutagePolicy onOutage;

    JdbcSpendCapStore(ShepherdDatabase db, String name, double limitUsd, Duration window, OutagePolicy onOutage) {
        this.db = db;
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name must be 1 to 200 characters but was '" + name + "'");
        }
        if (!(limitUsd >= 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("limitUsd must be finite and >= 0 but was " + limitUsd);
        }
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window must be at least 1 ms but was " + window);
        }
        this.name = name;
        this.limitUsd = limitUsd;
        this.limit = BigDecimal.valueOf(limitUsd).setScale(SCALE, RoundingMode.FLOOR);
        this.window = window;
        this.onOutage = Objects.requireNonNull(onOutage, "onOutage");
        createRow();
    }

    private void createRow() {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO shepherd_spend_cap (name, spent_usd) VALUES (?, 0)")) {
                ps.setString(1, name);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!Sql.isDuplicateKey(e)) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot create spend cap '" + name + "' in " + db + ": "
                    + e.getMessage(), e);
        }
    }

    /** The cap's name: processes that open the same name share the window. */
    public String name() {
        return name;
    }

    /** What a reservation does when the database cannot be reached. */
    public OutagePolicy onOutage() {
        return onOutage;
    }

    @Override
    public double limitUsd() {
        return limitUsd;
    }

    @Override
    public Duration window() {
        return window;
    }

    /** @throws StoreUnavailableException when the database cannot be read */
    @Override
    public double spentInWindow() {
        try (Connection c = db.connection()) {
            try {
                Locked l = lock(c);
                c.commit();
                return l.spent.doubleValue();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot read spend cap '" + name + "' from " + db + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Hold reserve(double worstCaseUsd) {
        BigDecimal worst = BigDecimal.valueOf(worstCaseUsd).setScale(SCALE, RoundingMode.CEILING);
        SQLException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try (Connection c = db.connection()) {
                try {
                    Hold h = reserve(c, worst);
                    c.commit();
                    return h;
                } catch (SpendLimitExceededException refused) {
                    c.commit(); // keeps the expiry of old reservations
                    throw refused;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                // a lost connection is an outage: do not make the request wait for more tries
                boolean conflict = "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                if (!conflict || attempt == TRIES) {
                    break;
                }
            }
        }
        String what = String.format(Locale.ROOT, "spend cap '%s' ($%.6f per %s) is unavailable (%s): %s", name,
                limitUsd, window, db, last.getMessage());
        if (onOutage == OutagePolicy.FAIL_CLOSED) {
            throw new StoreUnavailableException(what + "; failing the request (OutagePolicy.FAIL_CLOSED)", last);
        }
        log.warn("{}; refusing the large-model call (OutagePolicy.FALLBACK_TO_SMALL)", what);
        SpendLimitExceededException refused = new SpendLimitExceededException(what
                + "; large-model call refused (OutagePolicy.FALLBACK_TO_SMALL)");
        refused.initCause(last);
        throw refused;
    }

    private Hold reserve(Connection c, BigDecimal worst) throws SQLException {
        Locked l = lock(c);
        BigDecimal after = l.spent.add(worst);
        if (after.compareTo(limit) > 0) {
            throw new SpendLimitExceededException(String.format(Locale.ROOT,
                    "spend cap '%s' of $%.6f per %s reached: $%.6f spent or reserved, this call may cost up to $%.6f",
                    name, limitUsd, window, l.spent, worst));
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shepherd_spend_reservation (id, cap_name,"
                + " reserved_at, expires_at, worst_usd, amount_usd, settled, expired) VALUES (?, ?, ?, ?, ?, ?, FALSE, FALSE)")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setObject(3, l.now);
            ps.setObject(4, l.now.plus(window));
            ps.setBigDecimal(5, worst);
            ps.setBigDecimal(6, worst);
            ps.executeUpdate();
        }
        write(c, after);
        return new JdbcHold(id);
    }

    /** The cap's row, locked, with expired reservations subtracted and written back; the database's time. */
    private record Locked(BigDecimal spent, OffsetDateTime now) {
    }

    private Locked lock(Connection c) throws SQLException {
        BigDecimal spent;
        OffsetDateTime now;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT spent_usd, CURRENT_TIMESTAMP FROM shepherd_spend_cap WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("spend cap '" + name + "' has no row (was the table emptied?)", "02000");
                }
                spent = rs.getBigDecimal(1);
                now = rs.getObject(2, OffsetDateTime.class);
            }
        }
        BigDecimal gone;
        long count;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(amount_usd), 0) FROM"
                + " shepherd_spend_reservation WHERE cap_name = ? AND expired = FALSE AND expires_at <= ?")) {
            ps.setString(1, name);
            ps.setObject(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
                gone = rs.getBigDecimal(2);
            }
        }
        if (count == 0) {
            return new Locked(spent, now);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE shepherd_spend_reservation SET expired = TRUE"
                + " WHERE cap_name = ? AND expired = FALSE AND expires_at <= ?")) {
            ps.setString(1, name);
            ps.setObject(2, now);
            ps.executeUpdate();
        }
        BigDecimal left = spent.subtract(gone).max(BigDecimal.ZERO);
        write(c, left);
        return new Locked(left, now);
    }

    private void write(Connection c, BigDecimal spent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE shepherd_spend_cap SET spent_usd = ?, updated_at = CURRENT_TIMESTAMP WHERE name = ?")) {
            ps.setBigDecimal(1, spent.setScale(SCALE, RoundingMode.HALF_EVEN));
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    private void settle(String id, BigDecimal actual) throws SQLException {
        try (Connection c = db.connection()) {
            try {
                Locked l = lock(c);
                BigDecimal amount;
                boolean settled;
                boolean expired;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT amount_usd, settled, expired FROM shepherd_spend_reservation WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("reservation " + id + " is gone", "02000");
                        }
                        amount = rs.getBigDecimal(1);
                        settled = rs.getBoolean(2);
                        expired = rs.getBoolean(3);
                    }
                }
                if (!settled) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE shepherd_spend_reservation SET amount_usd = ?, settled = TRUE WHERE id = ?")) {
                        ps.setBigDecimal(1, actual);
                        ps.setString(2, id);
                        ps.executeUpdate();
                    }
                    if (!expired) {
                        write(c, l.spent.add(actual).subtract(amount).max(BigDecimal.ZERO));
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the pool resets or evicts the connection
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "JdbcSpendCapStore['%s', $%.6f per %s, %s, %s]", name, limitUsd, window,
                onOutage, db);
    }

    private final class JdbcHold implements Hold {
        private final String id;

        JdbcHold(String id) {
            this.id = id;
        }

        @Override
        public void settle(double actualUsd) {
            BigDecimal actual = BigDecimal.valueOf(actualUsd).setScale(SCALE, RoundingMode.CEILING);
            for (int attempt = 1; attempt <= TRIES; attempt++) {
                try {
                    JdbcSpendCapStore.this.settle(id, actual);
                    return;
                } catch (SQLException e) {
                    if (attempt == TRIES || !Sql.isTransient(e)) {
                        log.warn("cannot settle reservation {} of spend cap '{}' at ${}: {}; its worst case stays"
                                + " reserved until it leaves the window", id, name, actual, e.getMessage());
                        return;
                    }
                    try {
                        Thread.sleep(50L * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
