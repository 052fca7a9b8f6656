package dev.shepherd.reliability.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.reliability.support.FaultProxy.Kind;
import dev.shepherd.reliability.support.TcpConnections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Load and faults through one {@code ShepherdChatModel}: the CI configuration is 8 callers x 200 requests;
 * {@code -Dshepherd.soak.callers=32 -Dshepherd.soak.requests=10000} turns it into the soak benchmark (see the
 * README). The figures are printed and written to {@code target/soak-report.txt}.
 */
class SoakIT {

    @Test
    void should_end_every_request_record_it_once_reconcile_tokens_and_keep_the_cap_under_faults() throws Exception {
        // given
        SoakRun.Config cfg = SoakRun.Config.fromSystemProperties();
        Set<Thread> before = Threads.live();
        // when
        SoakRun.Result r = SoakRun.run(cfg);
        // then
        String summary = r.summary();
        System.out.println(summary);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "soak-report.txt"), summary + "\n", StandardCharsets.UTF_8);
        int n = cfg.totalRequests();

        // every request ended, with an answer or a typed (ShepherdException) failure, within its deadline
        assertThat(r.unexpected()).as(summary).isZero();
        assertThat(r.outcomes().values().stream().mapToInt(Integer::intValue).sum()).as(summary).isEqualTo(n);
        assertThat(r.overDeadline()).as(summary).isZero();
        assertThat(r.outcomes().get("answered")).as(summary).isGreaterThan(n / 4);
        // the executor survives the faults: retries, dropped samples, the small-to-large fallback
        assertThat(r.answered()).as(summary).isGreaterThanOrEqualTo((int) Math.ceil(0.99 * n));

        // exactly one ledger entry per request, failures included
        assertThat(r.entries()).hasSize(n);
        assertThat(r.entries().stream().map(LedgerEntry::requestId).distinct().count()).isEqualTo(n);
        assertThat(r.totals().requests()).isEqualTo(n);
        int thrown = n - r.outcomes().getOrDefault("answered", 0);
        assertThat(r.totals().failures()).isEqualTo(thrown);

        // retries and dropped samples were exercised (hundreds of each in the CI size; the rarer small-to-large
        // fallback, a handful, is counted in the summary)
        assertThat(r.notes().getOrDefault("retried", 0)).as(summary).isPositive();
        assertThat(r.notes().getOrDefault("sample-dropped", 0)).as(summary).isPositive();

        // every fault kind was actually injected on both sides
        for (Kind k : Kind.values()) {
            assertThat(r.smallFaults().get(k)).as("small " + k + "\n" + summary).isPositive();
            assertThat(r.largeFaults().get(k)).as("large " + k + "\n" + summary).isPositive();
        }

        // the ledger holds exactly what the clients parsed (counted independently around each client) ...
        assertThat(r.totals().smallInputTokens()).as(summary).isEqualTo(r.smallParsed().input());
        assertThat(r.totals().smallOutputTokens()).as(summary).isEqualTo(r.smallParsed().output());
        assertThat(r.totals().largeInputTokens()).as(summary).isEqualTo(r.largeParsed().input());
        assertThat(r.totals().largeOutputTokens()).as(summary).isEqualTo(r.largeParsed().output());
        // ... which the servers delivered: never what was computed after a client gave up
        assertThat(r.smallParsed().output()).as(summary)
                .isLessThanOrEqualTo(r.smallDelivered().output() + r.smallLate().output());
        assertThat(r.largeParsed().output()).as(summary)
                .isLessThanOrEqualTo(r.largeDelivered().output() + r.largeLate().output());
        // and the proxies' books add up to the backends' own usage counters
        assertThat(r.smallDelivered().input() + r.smallAbandoned().input() + r.smallLate().input())
                .isEqualTo(r.smallServerInput());
        assertThat(r.largeDelivered().output() + r.largeAbandoned().output() + r.largeLate().output())
                .isEqualTo(r.largeServerOutput());
        assertThat(r.totals().costUsd()).isCloseTo(
                SoakRun.LARGE_PRICES.cost(r.totals().largeInputTokens(), r.totals().largeOutputTokens()), within(1e-9));

        // the spend cap bound (some requests were refused by it) and was never exceeded by what was delivered
        assertThat(r.notes().getOrDefault("spend-cap", 0)).as(summary).isPositive();
        // (the "late" responses the client gave up on are billed-but-unknown, like the abandoned ones: the
        // known gap of SpendCapTimeoutGapIT, so they are not part of this bound)
        double delivered = SoakRun.LARGE_PRICES.cost(r.largeDelivered().input(), r.largeDelivered().output());
        assertThat(delivered).as(summary).isLessThanOrEqualTo(r.capUsd() + 1e-12);
        assertThat(SoakRun.LARGE_PRICES.cost(r.totals().largeInputTokens(), r.totals().largeOutputTokens()))
                .as(summary).isLessThanOrEqualTo(r.capUsd() + 1e-12);

        // no connection leak: open client connections are bounded by the callers, not by the requests
        if (TcpConnections.available()) {
            assertThat(r.connectionsAfterRun()).as(summary).isLessThanOrEqualTo(4 * cfg.callers());
        }
        assertThat(r.inFlightAfterRun()).isZero();
        if (r.socketsBefore() >= 0) {
            // every socket of the clients, servers and proxies is gone once they are closed or collected
            assertThat(r.socketsAfterClose()).as(summary).isLessThanOrEqualTo(r.socketsBefore() + 4);
        }

        // no thread leak once the model, its clients and the servers are gone
        Set<Thread> leaked = Threads.leakedSince(before, Duration.ofSeconds(15));
        assertThat(leaked.stream().map(Thread::getName).collect(Collectors.toList())).as(summary).isEmpty();
    }
}
