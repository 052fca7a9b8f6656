package dev.shepherd.cli;

import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.jdbc.OutagePolicy;
import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.jdbc.StoreUnavailableException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code shepherd serve}'s database options: the persistent ledger and the fleet-wide spend cap of shepherd-jdbc
 * ({@code --database}, {@code --database-user}, the password from {@value #PASSWORD_ENV}, {@code --cap-name},
 * {@code --cap-outage}). A picocli mixin; not thread-safe (one per invocation).
 */
final class DatabaseOptions {

    /** The environment variable with the database password (never a flag: flags show in {@code ps}). */
    static final String PASSWORD_ENV = "SHEPHERD_DATABASE_PASSWORD";

    @Option(names = "--database", paramLabel = "URL", description = "Keep the ledger (and the --spend-cap window) in "
            + "this database instead of memory: jdbc:h2:file:/path/db (embedded, one process) or "
            + "jdbc:postgresql://host:5432/db (a fleet: every serve on it shares the ledger and the cap). Every "
            + "request's entry is written before it is answered; a restart continues the totals. Password from $"
            + PASSWORD_ENV + ".")
    String url;

    @Option(names = "--database-user", paramLabel = "NAME", description = "The --database user (none by default).")
    String user;

    @Option(names = "--cap-name", paramLabel = "NAME", defaultValue = "shepherd-serve", description = "The name of the "
            + "--spend-cap: with --database, every serve that names the same cap shares its window; also the 'cap' "
            + "tag of its /metrics gauges (default: ${DEFAULT-VALUE}).")
    String capName;

    @Option(names = "--cap-outage", paramLabel = "POLICY", defaultValue = "FALLBACK_TO_SMALL", description = "What the "
            + "shared --spend-cap does when the database cannot be reached: FALLBACK_TO_SMALL (the small model "
            + "answers, note spend-cap) or FAIL_CLOSED (the request fails) (default: ${DEFAULT-VALUE}).")
    OutagePolicy capOutage;

    /** Whether {@code --database} was given. */
    boolean present() {
        return url != null;
    }

    /**
     * Checks the options against each other before anything is opened.
     *
     * @throws InputException naming the option that needs another one
     */
    void check(ParseResult parsed, boolean spendCap) {
        if (url == null) {
            for (String needsDatabase : new String[] {"--database-user", "--cap-outage"}) {
                if (parsed.hasMatchedOption(needsDatabase)) {
                    throw new InputException(needsDatabase, 0, null, "needs --database URL");
                }
            }
        } else if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new InputException("--database", 0, null, "must be a JDBC URL jdbc:h2:file:/path/db or "
                    + "jdbc:postgresql://host:5432/db but was '" + redact(url) + "'");
        }
        for (String needsCap : new String[] {"--cap-name", "--cap-outage"}) {
            if (!spendCap && parsed.hasMatchedOption(needsCap)) {
                throw new InputException(needsCap, 0, null, "needs --spend-cap USD");
            }
        }
        if (capName.isBlank() || capName.length() > 200) {
            throw new InputException("--cap-name", 0, null, "must be 1 to 200 characters but was '" + capName + "'");
        }
    }

    /**
     * Opens the database and migrates its schema, or returns {@code null} without {@code --database}.
     *
     * @param env the environment (for the password)
     * @throws InputException naming {@code --database} when the database cannot be opened
     */
    ShepherdDatabase open(UnaryOperator<String> env) {
        if (url == null) {
            return null;
        }
        try {
            return ShepherdDatabase.connect(jdbcUrl(url), user, env.apply(PASSWORD_ENV));
        } catch (StoreUnavailableException | IllegalArgumentException e) {
            throw new InputException("--database", 0, null, "cannot open " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    /** The fleet-wide cap in {@code db}: {@code limitUsd} per hour, shared by every process naming the same cap. */
    SpendCap sharedCap(ShepherdDatabase db, double limitUsd) {
        try {
            return SpendCap.over(db.spendCap(capName, limitUsd, Duration.ofHours(1), capOutage));
        } catch (StoreUnavailableException e) {
            throw new InputException("--database", 0, null, "cannot create the spend cap '" + capName + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * The URL serve opens: for H2, commits reach the file before they return ({@code WRITE_DELAY=0}, as
     * {@link ShepherdDatabase#h2} does) and H2's own shutdown hook does not close the database
     * ({@code DB_CLOSE_ON_EXIT=FALSE}): on SIGTERM the requests in flight still record their entries while they
     * drain, and serve closes the database after them. A setting already in the URL is kept.
     */
    static String jdbcUrl(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            out.append(";WRITE_DELAY=0");
        }
        if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
            out.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return out.toString();
    }

    /** {@code url} without a {@code password=...} parameter, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
