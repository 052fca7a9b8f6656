package dev.shepherd.reliability.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.shepherd.cli.live.ChatModels;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.ShepherdStreamingChatModel;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import dev.shepherd.server.ApiKeys;
import dev.shepherd.server.ShepherdServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load through {@code shepherd serve}'s server ({@link ShepherdServer}) against a direct call to the same local
 * model server, for issue 13's "Done when": N clients, half their requests streamed, each request sent once through
 * the server and once straight to the model server, interleaved so both see the same machine load; each complete
 * one also once through the server's own LangChain4j client in this process, to tell the client's share apart. Policy
 * {@code slm-only}: one model call per request, so the difference is what the server and the shepherd executor
 * add. Then the shutdown under load: every client starts one more (slower) request, the server is closed while
 * they are in flight, and all must complete. Prints everything it measured; {@link Result#problems()} lists what
 * did not hold.
 */
final class ServeLoadRun {

    static final String KEY = "sk-load-test";
    /** Requests of each kind sent before measuring (the JIT, connection pools); the ledger counts them too. */
    static final int WARM_UP = 50;
    static final String ANSWER = "The answer to this load test question is forty two";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param clients        concurrent clients
     * @param requests       requests through the server in all (as many go direct)
     * @param modelDelayMs   the model server's fixed delay per call
     * @param drainDelayMs   its delay during the shutdown phase, so requests are in flight when the server closes
     * @param maxAddedP99Ms  the goal for p99(server) - p99(direct)
     * @param diagnosticsEvery every how many complete requests the client also times the three diagnostic paths
     *                       (LangChain4j client, shepherd in-process, {@code /health}); 0: never. They are extra
     *                       load on the machine (two more model calls each time), the same for both paths.
     */
    record Config(int clients, int requests, int modelDelayMs, int drainDelayMs, double maxAddedP99Ms,
                  int diagnosticsEvery) {
        static Config fromSystemProperties() {
            return new Config(Integer.getInteger("shepherd.serve.clients", 8),
                    Integer.getInteger("shepherd.serve.requests", 400),
                    Integer.getInteger("shepherd.serve.modelDelayMs", 20),
                    Integer.getInteger("shepherd.serve.drainDelayMs", 800),
                    Double.parseDouble(System.getProperty("shepherd.serve.maxAddedP99Ms", "5")),
                    Integer.getInteger("shepherd.serve.diagnosticsEvery", 1));
        }
    }

    /** Latencies in nanoseconds of one kind of request. */
    record Latencies(long[] nanos) {
        double percentileMs(double p) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            if (s.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
            return s[Math.max(0, Math.min(s.length - 1, i))] / 1e6;
        }

        String line(String name) {
            return String.format(Locale.ROOT, "%-20s n=%5d  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms",
                    name, nanos.length, percentileMs(50), percentileMs(90), percentileMs(99), percentileMs(100));
        }
    }

    record Result(Config config, double seconds, double cpuSeconds, Latencies directComplete, Latencies servedComplete,
                  Latencies directStream, Latencies servedStream, Latencies clientComplete, Latencies inProcess,
                  Latencies health, List<String> failures,
                  int drained, List<String> drainFailures, boolean refusedAfterClose, List<LedgerEntry> ledger,
                  long drainMillis) {

        int drainFailed() {
            return drainFailures.size();
        }

        double addedP99(Latencies served, Latencies direct) {
            return served.percentileMs(99) - direct.percentileMs(99);
        }

        List<String> problems() {
            List<String> p = new ArrayList<>();
            if (!failures.isEmpty()) {
                p.add(failures.size() + " failed requests, e.g. " + failures.iterator().next());
            }
            double c = addedP99(servedComplete, directComplete);
            double s = addedP99(servedStream, directStream);
            if (c > config.maxAddedP99Ms()) {
                p.add(String.format(Locale.ROOT, "complete: p99 added %.2f ms > %.1f ms", c, config.maxAddedP99Ms()));
            }
            if (s > config.maxAddedP99Ms()) {
                p.add(String.format(Locale.ROOT, "stream: p99 added %.2f ms > %.1f ms", s, config.maxAddedP99Ms()));
            }
            if (drained != config.clients() || drainFailed() > 0) {
                p.add("shutdown under load: " + drained + " of " + config.clients() + " in-flight requests completed, "
                        + drainFailed() + " failed: " + drainFailures);
            }
            if (!refusedAfterClose) {
                p.add("a request after close was not refused");
            }
            int expected = WARM_UP + config.requests() + config.clients();
            long ok = ledger.stream().filter(LedgerEntry::succeeded).count();
            if (ledger.size() != expected || ok != expected) {
                p.add("ledger: " + ledger.size() + " entries (" + ok + " succeeded) for " + expected + " requests");
            }
            return p;
        }

        String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "serve load: %d clients, %d requests through the server + %d direct, "
                            + "half streamed, in %.1f s; model server delay %d ms, policy slm-only%n",
                    config.clients(), config.requests(), config.requests(), seconds, config.modelDelayMs()));
            sb.append(String.format(Locale.ROOT, "  process CPU while measuring: %.1f s of %d CPUs' %.1f s, %.2f ms per request "
                            + "through the server (with its direct twin, the clients, the model server and the diagnostics, "
                            + "%s)%n", cpuSeconds, Runtime.getRuntime().availableProcessors(),
                    seconds * Runtime.getRuntime().availableProcessors(), cpuSeconds * 1000 / config.requests(),
                    config.diagnosticsEvery() == 0 ? "off" : "every " + config.diagnosticsEvery() + " complete request(s)"));
            sb.append("  ").append(directComplete.line("direct complete")).append('\n');
            sb.append("  ").append(servedComplete.line("served complete")).append('\n');
            sb.append("  ").append(clientComplete.line("LangChain4j client")).append(" (in-process OpenAiChatModel, "
                    + "the server's own client, to the model server)\n");
            sb.append("  ").append(inProcess.line("shepherd in-process")).append(" (a ShepherdChatModel like the "
                    + "server's, called in this process: the client plus the shepherd executor, no server)\n");
            sb.append("  ").append(health.line("server hop")).append(" (GET /health through the server: HTTP "
                    + "alone)\n");
            sb.append("  ").append(directStream.line("direct stream")).append('\n');
            sb.append("  ").append(servedStream.line("served stream")).append('\n');
            sb.append(String.format(Locale.ROOT, "  added latency (served - direct): complete p50 %.2f ms, p99 %.2f ms; "
                            + "stream p50 %.2f ms, p99 %.2f ms (goal p99 <= %.1f ms)%n",
                    servedComplete.percentileMs(50) - directComplete.percentileMs(50),
                    addedP99(servedComplete, directComplete),
                    servedStream.percentileMs(50) - directStream.percentileMs(50), addedP99(servedStream, directStream),
                    config.maxAddedP99Ms()));
            sb.append("  failed requests: ").append(failures.size()).append('\n');
            sb.append(String.format(Locale.ROOT, "  shutdown under load: %d of %d in-flight requests completed (%d "
                            + "failed) during a %d ms drain; a request after close %s%n", drained, config.clients(),
                    drainFailed(), drainMillis, refusedAfterClose ? "was refused" : "was NOT refused"));
            sb.append(String.format(Locale.ROOT, "  ledger: %d entries, %d succeeded (%d warm-up + %d measured + %d "
                            + "drained requests)%n", ledger.size(), ledger.stream().filter(LedgerEntry::succeeded).count(),
                    WARM_UP, config.requests(), config.clients()));
            List<String> problems = problems();
            sb.append(problems.isEmpty() ? "  OK" : "  PROBLEMS: " + problems);
            return sb.toString();
        }
    }

    private ServeLoadRun() {
    }

    static Result run(Config cfg) throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.builder().responder(r -> ANSWER).recordRequests(false)
                .threads(cfg.clients() * 3 + 8).build()) {
            model.fault(Fault.delay(Duration.ofMillis(cfg.modelDelayMs())));
            CostLedger ledger = CostLedger.create();
            ShepherdServer server = server(model, ledger, cfg);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(4)).build();
            URI served = URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions");
            URI direct = URI.create(model.baseUrl() + "/chat/completions");
            List<Long> dc = new ArrayList<>();
            List<Long> sc = new ArrayList<>();
            List<Long> ds = new ArrayList<>();
            List<Long> ss = new ArrayList<>();
            List<Long> lc = new ArrayList<>();
            List<Long> ip = new ArrayList<>();
            List<Long> hp = new ArrayList<>();
            URI health = URI.create("http://127.0.0.1:" + server.port() + "/health");
            ShepherdChatModel inProcess = chatModel(model, CostLedger.totalsOnly());
            OpenAiChatModel client = openAi(model, "slm");
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger next = new AtomicInteger();
            // warm-up: the JIT and connection pools, not measured
            for (int i = 0; i < WARM_UP; i++) {
                call(http, served, i % 2 == 0, true, failures);
                call(http, direct, i % 2 == 0, false, failures);
            }
            failures.clear();
            ExecutorService clients = Executors.newFixedThreadPool(cfg.clients());
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            try {
                List<Future<long[][]>> work = new ArrayList<>();
                for (int c = 0; c < cfg.clients(); c++) {
                    work.add(clients.submit(() -> {
                        List<long[]> mine = new ArrayList<>();
                        for (int i; (i = next.getAndIncrement()) < cfg.requests(); ) {
                            boolean stream = i % 2 == 1;
                            // alternate which goes first, so neither side always meets a warmer connection
                            long a;
                            long b;
                            if (i % 4 < 2) {
                                a = call(http, direct, stream, false, failures);
                                b = call(http, served, stream, true, failures);
                            } else {
                                b = call(http, served, stream, true, failures);
                                a = call(http, direct, stream, false, failures);
                            }
                            boolean diagnose = !stream && cfg.diagnosticsEvery() > 0
                                    && (i / 2) % cfg.diagnosticsEvery() == 0;
                            long lc4j = diagnose ? client(client, failures) : -1;
                            long own = diagnose ? shepherd(inProcess, failures) : -1;
                            long hop = diagnose ? health(http, health, failures) : -1;
                            mine.add(new long[] {stream ? 1 : 0, a, b, lc4j, own, hop});
                        }
                        return mine.toArray(new long[0][]);
                    }));
                }
                for (Future<long[][]> f : work) {
                    for (long[] r : f.get()) {
                        (r[0] == 1 ? ds : dc).add(r[1]);
                        (r[0] == 1 ? ss : sc).add(r[2]);
                        if (r[0] == 0) {
                            lc.add(r[3]);
                            ip.add(r[4]);
                            hp.add(r[5]);
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                // shutdown under load: one slow request per client in flight, then close
                model.fault(Fault.delay(Duration.ofMillis(cfg.drainDelayMs())));
                List<Future<Long>> inFlight = new ArrayList<>();
                ConcurrentLinkedQueue<String> drainFailures = new ConcurrentLinkedQueue<>();
                for (int c = 0; c < cfg.clients(); c++) {
                    boolean stream = c % 2 == 1;
                    inFlight.add(clients.submit(() -> call(http, served, stream, true, drainFailures)));
                }
                while (server.inFlight() < cfg.clients()) {
                    Thread.sleep(1);
                }
                long closeStart = System.nanoTime();
                server.close();
                long drainMillis = (System.nanoTime() - closeStart) / 1_000_000;
                int drained = 0;
                for (Future<Long> f : inFlight) {
                    drained += f.get() >= 0 ? 1 : 0;
                }
                boolean refused = call(http, served, false, true, new ConcurrentLinkedQueue<>()) < 0;
                return new Result(cfg, seconds, cpuSeconds, latencies(dc), latencies(sc), latencies(ds), latencies(ss),
                        latencies(lc), latencies(ip), latencies(hp), new ArrayList<>(failures), drained, new ArrayList<>(drainFailures), refused, ledger.entries(), drainMillis);
            } finally {
                clients.shutdownNow();
                server.close();
            }
        }
    }

    private static final ShepherdingPolicy POLICY = SmallOnly.create();
    private static final CostModel PRICES = CostModel.localSmall(TokenPrices.perMillion(1.0, 2.0));
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static ShepherdChatModel chatModel(FakeOpenAiServer model, CostLedger ledger) {
        return ShepherdChatModel.builder().small(openAi(model, "slm")).large(openAi(model, "llm"))
                .policy(POLICY).costModel(PRICES).ledger(ledger).build();
    }

    /** A client of the model server with the HTTP client {@code shepherd serve} gives its models. */
    private static OpenAiChatModel openAi(FakeOpenAiServer model, String name) {
        return OpenAiChatModel.builder().httpClientBuilder(ChatModels.httpClient(model.baseUrl()))
                .baseUrl(model.baseUrl()).apiKey("k").modelName(name).maxRetries(0).timeout(TIMEOUT).build();
    }

    private static OpenAiStreamingChatModel streamingOpenAi(FakeOpenAiServer model, String name) {
        return OpenAiStreamingChatModel.builder().httpClientBuilder(ChatModels.httpClient(model.baseUrl()))
                .baseUrl(model.baseUrl()).apiKey("k").modelName(name).timeout(TIMEOUT).build();
    }

    private static ShepherdServer server(FakeOpenAiServer model, CostLedger ledger, Config cfg) {
        ShepherdChatModel chat = chatModel(model, ledger);
        ShepherdStreamingChatModel streaming = ShepherdStreamingChatModel.builder()
                .small(streamingOpenAi(model, "slm")).large(streamingOpenAi(model, "llm"))
                .policy(POLICY).costModel(PRICES).ledger(ledger).build();
        return ShepherdServer.builder().chatModel(chat).streamingModel(streaming).port(0)
                .apiKeys(ApiKeys.of(List.of(KEY))).maxConcurrent(cfg.clients() * 2)
                .drainTimeout(Duration.ofSeconds(30)).build().start();
    }

    /** One request; its latency in ns, or -1 when it failed (recorded in {@code failures}, unless refused). */
    static long call(HttpClient http, URI uri, boolean stream, boolean served, ConcurrentLinkedQueue<String> failures) {
        String body = "{\"model\":\"" + (served ? "shepherd" : "slm") + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is the answer?\"}]}";
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (served) {
            b.header("Authorization", "Bearer " + KEY);
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            return -1; // refused: the server is closed
        } catch (Exception e) {
            failures.add((served ? "served " : "direct ") + (stream ? "stream: " : "complete: ") + e);
            return -1;
        }
        long nanos = System.nanoTime() - t0;
        String text = r.statusCode() == 200 ? text(r.body(), stream) : null;
        if (!ANSWER.equals(text)) {
            failures.add((served ? "served " : "direct ") + (stream ? "stream" : "complete") + ": HTTP "
                    + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
            return -1;
        }
        return nanos;
    }

    /** One call of the LangChain4j client the server uses, in this process: what the model call alone costs. */
    static long client(OpenAiChatModel client, ConcurrentLinkedQueue<String> failures) {
        long t0 = System.nanoTime();
        try {
            String text = client.chat("What is the answer?");
            if (!ANSWER.equals(text)) {
                failures.add("client: " + text);
                return -1;
            }
        } catch (RuntimeException e) {
            failures.add("client: " + e);
            return -1;
        }
        return System.nanoTime() - t0;
    }

    /** One call of a shepherd model like the server's, in this process: the client plus the executor. */
    static long shepherd(ShepherdChatModel chat, ConcurrentLinkedQueue<String> failures) {
        long t0 = System.nanoTime();
        try {
            String text = chat.chat("What is the answer?");
            if (!ANSWER.equals(text)) {
                failures.add("in-process: " + text);
                return -1;
            }
        } catch (RuntimeException e) {
            failures.add("in-process: " + e);
            return -1;
        }
        return System.nanoTime() - t0;
    }

    /** One {@code GET /health} through the server: what the HTTP hop alone costs. */
    static long health(HttpClient http, URI uri, ConcurrentLinkedQueue<String> failures) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                failures.add("health: HTTP " + r.statusCode());
                return -1;
            }
        } catch (Exception e) {
            failures.add("health: " + e);
            return -1;
        }
        return System.nanoTime() - t0;
    }

    private static String text(String body, boolean stream) {
        try {
            if (!stream) {
                return JSON.readTree(body).at("/choices/0/message/content").asText();
            }
            StringBuilder sb = new StringBuilder();
            boolean done = false;
            for (String line : body.split("\n")) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonNode c = JSON.readTree(data).at("/choices/0/delta/content");
                if (c.isTextual()) {
                    sb.append(c.asText());
                }
            }
            return done ? sb.toString() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** CPU time of this whole process (every thread), ns: what the run costs the machine, beyond its latency. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static Latencies latencies(List<Long> values) {
        return new Latencies(values.stream().filter(v -> v >= 0).mapToLong(Long::longValue).toArray());
    }
}
