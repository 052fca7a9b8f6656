package dev.shepherd.jdbc;

import dev.shepherd.core.spi.SpendCapStore;
import dev.shepherd.core.testing.SpendCapStoreContract;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

class PostgresSpendCapStoreIT extends SpendCapStoreContract {

    private static ShepherdDatabase db;

    @BeforeEach
    void needsPostgres() {
        Postgres.require();
    }

    @Override
    protected SpendCapStore open(double limitUsd, Duration window) {
        if (db == null) {
            db = Postgres.freshSchema();
        }
        return db.spendCap("cap-" + UUID.randomUUID(), limitUsd, window);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }
}
