package dev.shepherd.jdbc;

import dev.shepherd.core.spi.LedgerStore;
import dev.shepherd.core.testing.LedgerStoreContract;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class H2LedgerStoreTest extends LedgerStoreContract {

    @TempDir
    Path dir;

    private final Map<LedgerStore, ShepherdDatabase> databases = new IdentityHashMap<>();
    private int n;

    @Override
    protected LedgerStore open() {
        return open(dir.resolve("ledger-" + n++));
    }

    private LedgerStore open(Path file) {
        ShepherdDatabase db = ShepherdDatabase.h2(file);
        LedgerStore store = new ClosingStore(db);
        databases.put(store, db);
        return store;
    }

    @Override
    protected LedgerStore reopen(LedgerStore store) {
        store.close();
        return open(dir.resolve("ledger-" + (n - 1)));
    }

    /** The database's ledger, closing the database with it (as a restarted process would lose both). */
    static final class ClosingStore implements LedgerStore {
        private final ShepherdDatabase db;

        ClosingStore(ShepherdDatabase db) {
            this.db = db;
        }

        @Override
        public boolean append(dev.shepherd.core.cost.LedgerEntry entry) {
            return db.ledger().append(entry);
        }

        @Override
        public dev.shepherd.core.cost.CostTotals totals() {
            return db.ledger().totals();
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
