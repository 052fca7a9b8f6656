package dev.shepherd.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.shepherd.jdbc.internal.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database that keeps shepherd's accounting: a connection pool (HikariCP) over an embedded H2 file
 * ({@link #h2(Path)}, the default for one process) or PostgreSQL ({@link #connect(String, String, String)},
 * for a fleet), its schema migrated by Flyway when opened (history table {@code shepherd_schema_history}, so it
 * can share a schema with the application's own migrations). Hands out the {@link #ledger() ledger store} and
 * {@link #spendCap spend-cap stores}, which share the pool.
 *
 * <pre>{@code
 * try (ShepherdDatabase db = ShepherdDatabase.connect("jdbc:postgresql://db:5432/app", "shepherd", password)) {
 *     CostLedger ledger = CostLedger.over(db.ledger());
 *     SpendCap cap = SpendCap.over(db.spendCap("chat-service", 50.00, Duration.ofHours(1)));
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe once built; the builder is not. {@link #close()} closes the pool it created (never a
 * {@link Builder#dataSource(DataSource) given} data source) and is idempotent.
 */
public final class ShepherdDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final HikariDataSource owned;
    private final String description;
    private final Sql.Dialect dialect;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final JdbcLedgerStore ledger;

    private ShepherdDatabase(Builder b) {
        if (b.dataSource != null) {
            this.dataSource = b.dataSource;
            this.owned = null;
            this.description = "given DataSource " + b.dataSource;
            if (b.migrate) {
                migrate(Flyway.configure(ShepherdDatabase.class.getClassLoader()).dataSource(b.dataSource), b.schema);
            }
        } else {
            this.description = Sql.redact(b.jdbcUrl);
            if (b.migrate) {
                // on a connection of its own: Flyway sets the search path of the connection it migrates with
                try {
                    migrate(Flyway.configure(ShepherdDatabase.class.getClassLoader())
                            .dataSource(b.jdbcUrl, b.user, b.password), b.schema);
                } catch (org.flywaydb.core.api.FlywayException e) {
                    throw new StoreUnavailableException("cannot migrate " + description + ": " + e.getMessage(), e);
                }
            }
            HikariConfig hc = new HikariConfig();
            // the schema in the URL: Hikari's setSchema would run inside the first transaction (autocommit off)
            // and PostgreSQL rolls a SET back with it
            String url = Sql.withSchema(b.jdbcUrl, b.schema);
            hc.setJdbcUrl(url);
            if (b.user != null) {
                hc.setUsername(b.user);
            }
            if (b.password != null) {
                hc.setPassword(b.password);
            }
            hc.setMaximumPoolSize(b.maxPoolSize);
            hc.setMinimumIdle(Math.min(2, b.maxPoolSize));
            hc.setConnectionTimeout(b.connectionTimeout.toMillis());
            hc.setValidationTimeout(Math.min(b.connectionTimeout.toMillis(), 5_000));
            hc.setAutoCommit(false);
            hc.setPoolName("shepherd-" + Integer.toHexString(System.identityHashCode(this)));
            if (b.schema != null && url.equals(b.jdbcUrl)) {
                hc.setSchema(b.schema);
            }
            // the pool starts even when the database went away after the migration: outage policies apply
            hc.setInitializationFailTimeout(-1);
            this.owned = new HikariDataSource(hc);
            this.dataSource = owned;
        }
        try {
            this.dialect = detect();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.ledger = new JdbcLedgerStore(this);
    }

    /**
     * An embedded H2 database in {@code file} (H2 adds {@code .mv.db}), created when absent. Every commit is
     * written to the file before it returns ({@code WRITE_DELAY=0}), so a killed process keeps every entry it
     * recorded. One process at a time: a second one opening the same file fails.
     */
    public static ShepherdDatabase h2(Path file) {
        return builder().jdbcUrl(h2Url(file)).build();
    }

    /**
     * The URL {@link #h2(Path)} opens. {@code WRITE_DELAY=0}: H2's default (500 ms) acknowledges commits that a
     * killed process then loses, as {@code LedgerKillIT} shows when the setting is removed.
     */
    static String h2Url(Path file) {
        Objects.requireNonNull(file, "file");
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0";
    }

    /** A database at {@code jdbcUrl} (e.g. {@code jdbc:postgresql://host:5432/db}), pooled with the defaults. */
    public static ShepherdDatabase connect(String jdbcUrl, String user, String password) {
        return builder().jdbcUrl(jdbcUrl).user(user).password(password).build();
    }

    /** A builder: a JDBC URL or a data source is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The ledger store in this database: one per database, idempotent per request id. */
    public JdbcLedgerStore ledger() {
        return ledger;
    }

    /**
     * The spend cap {@code name} in this database: every process that opens the same name shares its window.
     * Falls back to the small model when the database cannot be reached ({@link OutagePolicy#FALLBACK_TO_SMALL}).
     */
    public JdbcSpendCapStore spendCap(String name, double limitUsd, Duration window) {
        return spendCap(name, limitUsd, window, OutagePolicy.FALLBACK_TO_SMALL);
    }

    /** As {@link #spendCap(String, double, Duration)} with the given outage policy. */
    public JdbcSpendCapStore spendCap(String name, double limitUsd, Duration window, OutagePolicy onOutage) {
        return new JdbcSpendCapStore(this, name, limitUsd, window, onOutage);
    }

    /** The data source every store uses (the pool, or the one given). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The database, its password redacted, for messages. */
    @Override
    public String toString() {
        return "ShepherdDatabase[" + description + "]";
    }

    Connection connection() throws SQLException {
        if (closed.get()) {
            throw new SQLException("ShepherdDatabase is closed: " + description, "08003");
        }
        Connection c = dataSource.getConnection();
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
        return c;
    }

    Sql.Dialect dialect() {
        return dialect;
    }

    private Sql.Dialect detect() {
        try (Connection c = dataSource.getConnection()) {
            return Sql.Dialect.of(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new StoreUnavailableException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(org.flywaydb.core.api.configuration.FluentConfiguration config, String schema) {
        config.locations("classpath:dev/shepherd/jdbc/migration")
                .table("shepherd_schema_history")
                // an application's schema is usually not empty: start our history at 0 there, then apply V1...
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (schema != null) {
            config.schemas(schema);
        }
        config.load().migrate();
    }

    /** Closes the pool when this database created it; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && owned != null) {
            owned.close();
        }
    }

    /** Fail-fast builder. Not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private DataSource dataSource;
        private String schema;
        private int maxPoolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(2);
        private boolean migrate = true;

        private Builder() {
        }

        /** The database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/shepherd} or {@code jdbc:h2:file:/var/lib/app/ledger}. */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:' but was '" + Sql.redact(jdbcUrl) + "'");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The database user; none by default. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The user's password; none by default. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** A data source of the application's (its own pool) instead of a URL; not closed by {@link #close()}. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The schema for shepherd's tables (created by the migration when absent); the connection's default otherwise. */
        public Builder schema(String schema) {
            Objects.requireNonNull(schema, "schema");
            if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("schema must be a plain SQL identifier but was '" + schema + "'");
            }
            this.schema = schema;
            return this;
        }

        /** The pool's size, 10 by default. */
        public Builder maxPoolSize(int maxPoolSize) {
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be >= 1 but was " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /**
         * How long a request waits for a connection before the database counts as unavailable (2 s by default,
         * at least 250 ms): it bounds what an outage adds to a request before the outage policy applies.
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be >= 250 ms but was " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /** Whether to run the Flyway migrations when opened; true by default (off when a DBA migrates). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Opens the pool and migrates the schema.
         *
         * @throws IllegalStateException      when neither a URL nor a data source is set, or both are
         * @throws StoreUnavailableException  when the database cannot be reached
         */
        public ShepherdDatabase build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalStateException("exactly one of jdbcUrl(...) and dataSource(...) is required");
            }
            return new ShepherdDatabase(this);
        }
    }
}
