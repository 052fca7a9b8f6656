package dev.shepherd.jdbc.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/** SQL helpers shared by the stores: dialects, error classes, redaction, truncation. */
public final class Sql {

    /** The databases the stores are tested on. */
    public enum Dialect {
        H2, POSTGRESQL, OTHER;

        /** From {@code DatabaseMetaData.getDatabaseProductName()}. */
        public static Dialect of(String productName) {
            String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
            if (p.contains("postgres")) {
                return POSTGRESQL;
            }
            return p.contains("h2") ? H2 : OTHER;
        }
    }

    private Sql() {
    }

    /** A unique-key violation: the row is there already. */
    public static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Worth one more try on a fresh connection: a lost connection, a serialisation failure or a deadlock. */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof java.sql.SQLTransientException
                || e instanceof java.sql.SQLRecoverableException
                || (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                        || state.equals("57P01") || state.equals("HYT00")));
    }

    /** {@code jdbcUrl} with {@code schema} as its default schema, for PostgreSQL and H2; unchanged otherwise. */
    public static String withSchema(String jdbcUrl, String schema) {
        if (schema == null) {
            return jdbcUrl;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return jdbcUrl + ";SCHEMA=" + schema;
        }
        return jdbcUrl;
    }

    /** The URL without a password parameter, for messages. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** {@code s} cut to {@code max} characters (a marker added), or null. */
    public static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max - 14) + "...[truncated]";
    }
}
