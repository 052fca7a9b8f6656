package dev.shepherd.jdbc;

import dev.shepherd.core.spi.SpendCapStore;
import dev.shepherd.core.testing.SpendCapStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2SpendCapStoreTest extends SpendCapStoreContract {

    @TempDir
    Path dir;

    private ShepherdDatabase db;

    @Override
    protected SpendCapStore open(double limitUsd, Duration window) {
        db = ShepherdDatabase.h2(dir.resolve("cap"));
        return db.spendCap("test", limitUsd, window);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }
}
