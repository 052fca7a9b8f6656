package dev.shepherd.jdbc;

import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.testing.LedgerStoreContractEntries;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The child of {@link LedgerKillIT}: {@code threads} threads record entries through a {@link CostLedger} over the
 * database until the process is killed, printing {@code ok <request id>} after each {@code record} returns.
 * Args: {@code <jdbc url> <schema or -> <threads>}.
 */
public final class LedgerWriterMain {

    private LedgerWriterMain() {
    }

    /** Runs until killed. */
    public static void main(String[] args) throws Exception {
        ShepherdDatabase.Builder b = ShepherdDatabase.builder().jdbcUrl(args[0]);
        if (!args[1].equals("-")) {
            b.schema(args[1]);
        }
        ShepherdDatabase db = b.build();
        CostLedger ledger = CostLedger.over(db.ledger());
        PrintStream out = System.out;
        out.println("started");
        out.flush();
        int threads = Integer.parseInt(args[2]);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "w" + thread + "-" + i;
                    ledger.record(LedgerStoreContractEntries.entry(id, 0.001, i % 7 != 0));
                    synchronized (out) {
                        out.println("ok " + id);
                        out.flush();
                    }
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
    }
}
