package dev.shepherd.jdbc;

import dev.shepherd.core.spi.LedgerStore;
import dev.shepherd.core.testing.LedgerStoreContract;
import org.junit.jupiter.api.BeforeEach;

class PostgresLedgerStoreIT extends LedgerStoreContract {

    private String schema;

    @BeforeEach
    void needsPostgres() {
        Postgres.require();
    }

    @Override
    protected LedgerStore open() {
        schema = Postgres.newSchemaName();
        return openSchema(schema);
    }

    private static LedgerStore openSchema(String schema) {
        return new H2LedgerStoreTest.ClosingStore(
                ShepherdDatabase.builder().jdbcUrl(Postgres.require()).schema(schema).build());
    }

    @Override
    protected LedgerStore reopen(LedgerStore store) {
        store.close();
        return openSchema(schema);
    }
}
