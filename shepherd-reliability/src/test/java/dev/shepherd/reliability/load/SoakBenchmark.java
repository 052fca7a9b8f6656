package dev.shepherd.reliability.load;

import dev.shepherd.core.cost.LedgerEntry;

/**
 * The soak benchmark as a plain command (see the README): runs {@link SoakRun} with the configuration from
 * {@code -Dshepherd.soak.*} system properties, prints the figures and the invariants {@link SoakIT} asserts,
 * and exits 1 when one is violated.
 */
public final class SoakBenchmark {

    private SoakBenchmark() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        SoakRun.Config cfg = SoakRun.Config.fromSystemProperties();
        SoakRun.Result r = SoakRun.run(cfg);
        System.out.println(r.summary());
        int n = cfg.totalRequests();
        boolean ok = true;
        ok &= check("every request ended (answer or ShepherdException)", r.unexpected() == 0
                && r.outcomes().values().stream().mapToInt(Integer::intValue).sum() == n);
        ok &= check("every request within its deadline", r.overDeadline() == 0);
        ok &= check(String.format(java.util.Locale.ROOT, ">= 99 %% of requests answered (%.2f %%)",
                100 * r.answeredShare()), r.answeredShare() >= 0.99);
        ok &= check("one ledger entry per request", r.entries().size() == n
                && r.entries().stream().map(LedgerEntry::requestId).distinct().count() == n);
        ok &= check("ledger tokens == tokens the clients parsed",
                r.totals().smallInputTokens() == r.smallParsed().input()
                && r.totals().smallOutputTokens() == r.smallParsed().output()
                && r.totals().largeInputTokens() == r.largeParsed().input()
                && r.totals().largeOutputTokens() == r.largeParsed().output());
        ok &= check("parsed <= delivered by the servers (+ late)",
                r.smallParsed().output() <= r.smallDelivered().output() + r.smallLate().output()
                && r.largeParsed().output() <= r.largeDelivered().output() + r.largeLate().output());
        ok &= check("backend usage == delivered + abandoned + late (the proxies' books)",
                r.smallServerOutput() == r.smallDelivered().output() + r.smallAbandoned().output() + r.smallLate().output()
                && r.largeServerOutput() == r.largeDelivered().output() + r.largeAbandoned().output() + r.largeLate().output());
        ok &= check("server-delivered and ledger large spend <= cap", SoakRun.LARGE_PRICES.cost(
                r.largeDelivered().input(), r.largeDelivered().output()) <= r.capUsd() + 1e-12
                && SoakRun.LARGE_PRICES.cost(r.totals().largeInputTokens(), r.totals().largeOutputTokens())
                <= r.capUsd() + 1e-12);
        ok &= check("no socket left after closing", r.socketsAfterClose() <= r.socketsBefore() + 4);
        ok &= check("no request in flight at the end", r.inFlightAfterRun() == 0);
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    private static boolean check(String what, boolean ok) {
        System.out.println((ok ? "  OK   " : "  FAIL ") + what);
        return ok;
    }
}
