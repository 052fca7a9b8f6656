package dev.shepherd.reliability.load;

import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.reliability.support.ChildJvm;
import dev.shepherd.reliability.support.FaultProxy;
import dev.shepherd.reliability.support.FaultProxy.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fleet test of issue 13: {@code processes} JVMs ({@link FleetWorker}) × {@code threads} threads ×
 * {@code requests} requests share one ledger and one spend cap in PostgreSQL, their model calls going through
 * this JVM's fault proxies (429, 500, resets, slow and malformed responses) to fake Ollama and OpenAI servers;
 * one process is killed with SIGKILL once it has completed {@code killAt} of its requests. Then it reads the
 * database and the proxies' books. Not thread-safe (one run per call).
 */
public final class FleetRun {

    /**
     * The run's settings.
     *
     * @param processes       worker JVMs
     * @param threads         threads per worker
     * @param requests        requests per thread
     * @param killAt          share of worker 0's requests after which it is killed (0: no kill)
     * @param clientTimeoutMs both clients' timeout
     * @param capUsd          the fleet's cap for the run (one window)
     */
    public record Config(int processes, int threads, int requests, double killAt, long clientTimeoutMs, double capUsd) {

        /** From {@code -Dshepherd.fleet.*}: CI defaults 4 × 8 × 100. */
        public static Config fromSystemProperties() {
            int p = Integer.getInteger("shepherd.fleet.processes", 4);
            int t = Integer.getInteger("shepherd.fleet.threads", 8);
            int r = Integer.getInteger("shepherd.fleet.requests", 100);
            // like the soak: the cap binds about halfway through
            double perRequest = Double.parseDouble(System.getProperty("shepherd.fleet.capUsdPerRequest", "0.00002"));
            return new Config(p, t, r, Double.parseDouble(System.getProperty("shepherd.fleet.killAt", "0.3")),
                    Long.getLong("shepherd.fleet.timeoutMs", 1_000), perRequest * p * t * r);
        }

        int perProcess() {
            return threads * requests;
        }
    }

    /** What the run found. */
    public record Result(Config config, double seconds, boolean killed, int killedAcknowledged, long killedRows,
                         long survivorsExpected, long survivorsRows, int survivorsMissing, int acknowledgedMissing,
                         int duplicateQueryIds, long rows, long distinctRequestIds, Map<String, Integer> outcomes,
                         double ledgerLargeUsd, double capSpentUsd, long unsettledReservations,
                         double unsettledWorstUsd, double serverLargeUsd, long spendCapNotes,
                         Map<Kind, Integer> smallFaults, Map<Kind, Integer> largeFaults, List<String> problems) {

        /** Every invariant of the "Done when". */
        public boolean ok() {
            return problems.isEmpty();
        }

        /** A human-readable report. */
        public String summary() {
            long total = (long) config.processes * config.perProcess();
            return String.format(Locale.ROOT, String.join("\n",
                            "fleet: %d processes x %d threads x %d requests = %d requests in %.1f s (%.0f req/s)",
                            "  outcomes reported by the workers: %s",
                            "  kill -9 of process 0: %s after %d acknowledged requests; its ledger rows: %d (%d in flight at the kill)",
                            "  surviving processes: %d requests issued, %d ledger rows, %d missing",
                            "  acknowledged requests without a row: %d; query ids with more than one row: %d",
                            "  ledger: %d rows, %d distinct request ids; %d answered with the spend-cap note",
                            "  spend cap $%.6f: billed large-model spend in the ledger $%.6f; reserved-and-billed in the cap $%.6f"
                                    + " (of which %d unsettled reservations of the killed process: $%.6f);"
                                    + " large-model spend the fake server delivered or computed $%.6f",
                            "  small faults %s",
                            "  large faults %s",
                            "  %s"),
                    config.processes, config.threads, config.requests, total, seconds,
                    (total - (killed ? config.perProcess() - killedRows : 0)) / seconds, outcomes,
                    killed ? "done" : "not done", killedAcknowledged, killedRows, killedRows - killedAcknowledged,
                    survivorsExpected, survivorsRows, survivorsMissing, acknowledgedMissing, duplicateQueryIds, rows,
                    distinctRequestIds, spendCapNotes, config.capUsd, ledgerLargeUsd, capSpentUsd, unsettledReservations,
                    unsettledWorstUsd, serverLargeUsd, smallFaults, largeFaults,
                    problems.isEmpty() ? "OK: every invariant holds" : "FAILED: " + problems);
        }
    }

    private FleetRun() {
    }

    /** Runs the fleet against the PostgreSQL at {@code jdbcUrl}, in a fresh schema; {@code dir} holds the workers' output. */
    public static Result run(Config cfg, String jdbcUrl, Path dir) throws Exception {
        String schema = "fleet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String capName = "fleet";
        Map<Kind, Double> smallMix = Map.of(Kind.RATE_LIMITED, 0.02, Kind.SERVER_ERROR, 0.02, Kind.CONNECTION_RESET, 0.02,
                Kind.MALFORMED_JSON, 0.02, Kind.SLOW, 0.02);
        Map<Kind, Double> largeMix = Map.of(Kind.RATE_LIMITED, 0.04, Kind.SERVER_ERROR, 0.04, Kind.CONNECTION_RESET, 0.04,
                Kind.MALFORMED_JSON, 0.04, Kind.SLOW, 0.04);
        Duration slow = Duration.ofMillis(cfg.clientTimeoutMs * 3 / 2);
        int serverThreads = 16 + cfg.processes * cfg.threads * 4;
        try (ShepherdDatabase db = ShepherdDatabase.builder().jdbcUrl(jdbcUrl).schema(schema).build();
             FakeOllamaServer slm = FakeOllamaServer.builder()
                     .responder(r -> SoakRun.SMALL_ANSWERS[ThreadLocalRandom.current().nextInt(SoakRun.SMALL_ANSWERS.length)])
                     .recordRequests(false).threads(serverThreads).build();
             FakeOpenAiServer llm = FakeOpenAiServer.builder().responder(r -> SoakRun.LARGE_ANSWER)
                     .recordRequests(false).threads(serverThreads).build();
             FaultProxy smallProxy = FaultProxy.start(slm.baseUrl(), FaultProxy.Protocol.OLLAMA, smallMix, slow,
                     Duration.ofMillis(cfg.clientTimeoutMs / 2), 42, serverThreads);
             FaultProxy largeProxy = FaultProxy.start(llm.baseUrl(), FaultProxy.Protocol.OPENAI, largeMix, slow,
                     Duration.ofMillis(cfg.clientTimeoutMs / 2), 43, serverThreads)) {
            db.spendCap(capName, cfg.capUsd, Duration.ofHours(1)); // the cap's row, before the workers race for it
            long start = System.nanoTime();
            List<ChildJvm> workers = new ArrayList<>();
            for (int w = 0; w < cfg.processes; w++) {
                workers.add(ChildJvm.start(dir, Map.of(), FleetWorker.class.getName(), List.of(jdbcUrl, schema, capName,
                        Double.toString(cfg.capUsd), smallProxy.ollamaBaseUrl(), largeProxy.openAiBaseUrl(),
                        Integer.toString(cfg.threads), Integer.toString(cfg.requests), Integer.toString(w),
                        Long.toString(cfg.clientTimeoutMs))));
            }
            boolean killed = false;
            if (cfg.killAt > 0) {
                int target = (int) Math.ceil(cfg.killAt * cfg.perProcess());
                ChildJvm victim = workers.get(0);
                while (victim.process().isAlive() && acknowledged(victim.out()).size() < target) {
                    Thread.sleep(20);
                }
                if (victim.process().isAlive()) {
                    victim.kill(); // SIGKILL, mid-run: its threads are inside requests
                    killed = true;
                }
            }
            Duration max = Duration.ofSeconds(120 + (long) cfg.perProcess() * cfg.processes / 20);
            for (int w = killed ? 1 : 0; w < workers.size(); w++) {
                int rc = workers.get(w).waitFor(max);
                if (rc != 0 || !workers.get(w).out().contains("finished")) {
                    throw new AssertionError("worker " + w + " exited " + rc + "; stderr: " + tail(workers.get(w).err()));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            smallProxy.awaitIdle(slow.plusSeconds(10));
            largeProxy.awaitIdle(slow.plusSeconds(10));
            return check(cfg, db, workers, killed, seconds, smallProxy, largeProxy);
        }
    }

    private static Result check(Config cfg, ShepherdDatabase db, List<ChildJvm> workers, boolean killed, double seconds,
                                FaultProxy smallProxy, FaultProxy largeProxy) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> rowsByQuery = new HashMap<>();
        long rows;
        long distinctIds;
        double ledgerLarge;
        long capNotes;
        double capSpent;
        long unsettled;
        double unsettledWorst;
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT query_id, COUNT(*) FROM shepherd_ledger GROUP BY query_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rowsByQuery.put(rs.getString(1), rs.getInt(2));
                }
            }
            rows = scalar(c, "SELECT COUNT(*) FROM shepherd_ledger").longValue();
            distinctIds = scalar(c, "SELECT COUNT(DISTINCT request_id) FROM shepherd_ledger").longValue();
            ledgerLarge = scalar(c, "SELECT COALESCE(SUM(cost_usd), 0) FROM shepherd_ledger_call WHERE role = 'LARGE'")
                    .doubleValue();
            capNotes = scalar(c, "SELECT COUNT(*) FROM shepherd_ledger WHERE notes LIKE '%spend-cap%'").longValue();
            capSpent = scalar(c, "SELECT spent_usd FROM shepherd_spend_cap WHERE name = 'fleet'").doubleValue();
            unsettled = scalar(c, "SELECT COUNT(*) FROM shepherd_spend_reservation WHERE settled = FALSE").longValue();
            unsettledWorst = scalar(c, "SELECT COALESCE(SUM(amount_usd), 0) FROM shepherd_spend_reservation"
                    + " WHERE settled = FALSE").doubleValue();
            c.rollback();
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        for (ChildJvm w : workers) {
            for (String line : acknowledged(w.out())) {
                outcomes.merge(line.substring(line.indexOf(' ') + 1), 1, Integer::sum);
            }
        }
        int duplicates = (int) rowsByQuery.values().stream().filter(n -> n > 1).count();
        // the survivors: every request issued has exactly one row
        long survivorsExpected = 0;
        long survivorsRows = 0;
        int survivorsMissing = 0;
        for (int w = killed ? 1 : 0; w < cfg.processes; w++) {
            for (int t = 0; t < cfg.threads; t++) {
                for (int i = 0; i < cfg.requests; i++) {
                    survivorsExpected++;
                    Integer n = rowsByQuery.get("p" + w + "-t" + t + "-" + i);
                    if (n == null) {
                        survivorsMissing++;
                    } else {
                        survivorsRows += n;
                    }
                }
            }
        }
        // the killed one: every acknowledged request has its row; at most one more row per thread (in flight)
        int killedAck = 0;
        int ackMissing = 0;
        long killedRows = 0;
        if (killed) {
            Set<String> acked = new HashSet<>();
            for (String line : acknowledged(workers.get(0).out())) {
                acked.add(line.substring(0, line.indexOf(' ')));
            }
            killedAck = acked.size();
            for (String id : acked) {
                if (!rowsByQuery.containsKey(id)) {
                    ackMissing++;
                }
            }
            killedRows = rowsByQuery.entrySet().stream().filter(e -> e.getKey().startsWith("p0-"))
                    .mapToLong(Map.Entry::getValue).sum();
            if (killedRows > killedAck + cfg.threads) {
                problems.add("killed process has " + killedRows + " rows for " + killedAck + " acknowledged requests and "
                        + cfg.threads + " threads");
            }
        }
        double serverLarge = SoakRun.LARGE_PRICES.cost(largeProxy.delivered().input() + largeProxy.abandoned().input()
                        + largeProxy.late().input(),
                largeProxy.delivered().output() + largeProxy.abandoned().output() + largeProxy.late().output());
        if (survivorsMissing > 0) {
            problems.add(survivorsMissing + " requests of surviving processes without a ledger row");
        }
        if (ackMissing > 0) {
            problems.add(ackMissing + " acknowledged requests of the killed process without a ledger row");
        }
        if (duplicates > 0) {
            problems.add(duplicates + " requests with more than one ledger row");
        }
        if (distinctIds != rows) {
            problems.add("request ids not unique: " + distinctIds + " of " + rows);
        }
        if (survivorsRows != survivorsExpected) {
            problems.add("surviving processes: " + survivorsRows + " rows for " + survivorsExpected + " requests");
        }
        double tolerance = 1e-9;
        if (ledgerLarge > cfg.capUsd + tolerance || capSpent > cfg.capUsd + tolerance
                || serverLarge > cfg.capUsd + tolerance) {
            problems.add(String.format(Locale.ROOT, "cap $%.6f exceeded: ledger $%.6f, cap $%.6f, server $%.6f",
                    cfg.capUsd, ledgerLarge, capSpent, serverLarge));
        }
        if (capSpent + tolerance < ledgerLarge) {
            problems.add(String.format(Locale.ROOT, "the cap holds less ($%.6f) than the ledger billed ($%.6f)",
                    capSpent, ledgerLarge));
        }
        if (outcomes.keySet().stream().anyMatch(k -> k.startsWith("unexpected"))) {
            problems.add("unexpected exceptions: " + outcomes);
        }
        return new Result(cfg, seconds, killed, killedAck, killedRows, survivorsExpected, survivorsRows, survivorsMissing,
                ackMissing, duplicates, rows, distinctIds, outcomes, ledgerLarge, capSpent, unsettled, unsettledWorst,
                serverLarge, capNotes, faults(smallProxy), faults(largeProxy), problems);
    }

    private static Number scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Object o = rs.getObject(1);
            return o == null ? 0 : (Number) o;
        }
    }

    /** The complete {@code done} lines of a worker's output, without the prefix: {@code <query id> <outcome>}. */
    static List<String> acknowledged(String out) {
        List<String> done = new ArrayList<>();
        int end = out.lastIndexOf('\n'); // a line torn by the kill has no newline yet
        if (end < 0) {
            return done;
        }
        for (String line : out.substring(0, end).split("\n")) {
            if (line.startsWith("done ")) {
                done.add(line.substring(5));
            }
        }
        return done;
    }

    private static Map<Kind, Integer> faults(FaultProxy p) {
        Map<Kind, Integer> m = new java.util.EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            if (k != Kind.NONE) {
                m.put(k, p.count(k));
            }
        }
        return m;
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }

    /** Writes the report next to the build's other reports. */
    static void writeReport(Result r, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, r.summary() + "\n", StandardCharsets.UTF_8);
    }
}
