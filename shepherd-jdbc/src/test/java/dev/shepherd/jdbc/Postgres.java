package dev.shepherd.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.UUID;

/**
 * The PostgreSQL server of the tests: {@code -Dshepherd.test.postgres.url} or {@code SHEPHERD_TEST_POSTGRES_URL}
 * (user and password as URL parameters), which {@code .ci/run} sets after starting a throwaway server. Tests that
 * need it skip with a message when it is absent.
 */
public final class Postgres {

    private Postgres() {
    }

    /** The URL, or null. */
    public static String url() {
        String url = System.getProperty("shepherd.test.postgres.url");
        if (url == null || url.isBlank() || url.startsWith("${")) {
            url = System.getenv("SHEPHERD_TEST_POSTGRES_URL");
        }
        return url == null || url.isBlank() ? null : url;
    }

    /** The URL; skips the test with a message when none is given. */
    public static String require() {
        String url = url();
        assumeTrue(url != null, "no PostgreSQL: set SHEPHERD_TEST_POSTGRES_URL (or -Dshepherd.test.postgres.url),"
                + " e.g. jdbc:postgresql://127.0.0.1:5432/shepherd?user=shepherd; .ci/run starts one");
        return url;
    }

    /** A database in a fresh schema of its own, so that tests never see each other's rows. */
    public static ShepherdDatabase freshSchema() {
        return ShepherdDatabase.builder().jdbcUrl(require()).schema(newSchemaName()).build();
    }

    /** A fresh schema name. */
    public static String newSchemaName() {
        return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
