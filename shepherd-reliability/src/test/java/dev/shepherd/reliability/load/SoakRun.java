package dev.shepherd.reliability.load;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.CostTotals;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.run.RetryPolicy;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.run.SmallFailureMode;
import dev.shepherd.langchain4j.RetryAfterHeaders;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.reliability.support.CountingChatModel;
import dev.shepherd.reliability.support.FaultProxy;
import dev.shepherd.reliability.support.FaultProxy.Kind;
import dev.shepherd.reliability.support.TcpConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One soak run: {@code callers} threads each send {@code requestsPerCaller} requests through ONE
 * {@link ShepherdChatModel} in reactive mode; the small model is the real Ollama client and the large
 * model the real OpenAI client, each talking to a fake server through a {@link FaultProxy} that injects
 * 429 + Retry-After, 500, connection resets, slow responses beyond the client timeout and malformed JSON.
 * The executor survives them as {@link #RETRY} and the small-to-large fallback configure it: retries of
 * rate limits, 5xx, resets and timeouts within the request deadline, dropped samples, and a failed small
 * model answered by the large one within the spend cap.
 * Collects what the load test asserts and the benchmark prints. Not thread-safe (one run per instance).
 */
public final class SoakRun {

    /** Prices of the large model (per million tokens) for the ledger and the cap. */
    static final TokenPrices LARGE_PRICES = TokenPrices.perMillion(10, 30);
    /** What the small model answers: four values, so three samples disagree 37.5 % of the time. */
    static final String[] SMALL_ANSWERS = {"the answer is 1", "the answer is 2", "the answer is 3", "the answer is 4"};
    static final String LARGE_ANSWER = "Let us reason step by step about the question and then answer clearly: 42";
    /**
     * The calls that bound a request's time: K = 3 samples, one large call, one small answer with the hint.
     * Retries and the small-to-large fallback add calls, but the executor starts a retry only if it would end
     * by its request deadline ({@link #requestDeadline}) and no large call after it; past it, at most the
     * samples and the answer still to make run once each: at most 4.5 client timeouts in all, within the bound
     * of {@link Config#deadline()}.
     */
    static final int MAX_CALLS_PER_REQUEST = 5;
    /**
     * The executor's request deadline: 2.5 client timeouts (3 when it bounded only the large model's calls).
     * A request that retries and falls back then ends within 4.5 client timeouts, leaving the rest of the bound
     * to a starved CPU (with 3, 29 of 32,000 requests overran it at load average 20); a sample that timed out
     * can still be retried once (with 2, none can: 99.16 % and 99.27 % answered, against 99.69 %).
     */
    static Duration requestDeadline(Duration clientTimeout) {
        return clientTimeout.multipliedBy(5).dividedBy(2);
    }

    /**
     * The executor's retries: three attempts, 20 ms base delay with half of it jittered, at most 500 ms.
     * The proxy's 429s ask for one second, longer than that and than the request deadline (2.5 client
     * timeouts) at the soak's sizes, so they are not retried: the sample is dropped or the other model answers.
     */
    static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(500)).jitter(0.5).random(new java.util.Random(7)).build();
    /** The notes counted on answered requests. */
    static final List<String> COUNTED_NOTES = List.of(ShepherdResult.NOTE_LARGE_UNAVAILABLE,
            ShepherdResult.NOTE_SPEND_CAP, ShepherdResult.NOTE_SMALL_UNAVAILABLE, ShepherdResult.NOTE_SAMPLE_DROPPED,
            ShepherdResult.NOTE_RETRIED);

    /**
     * The run's settings.
     *
     * @param callers           concurrent caller threads
     * @param requestsPerCaller requests each caller sends
     * @param clientTimeout     both clients' {@code timeout(...)}
     * @param slowDelay         how long a slow response is held back (must exceed clientTimeout)
     * @param faultRate         probability of each of 429, 500, reset, malformed (each)
     * @param slowRate          probability of a slow response
     * @param capUsdPerRequest  spend cap per issued request (the cap binds halfway through with the defaults)
     * @param seed              fault seed
     */
    public record Config(int callers, int requestsPerCaller, Duration clientTimeout, Duration slowDelay,
                         double faultRate, double slowRate, double capUsdPerRequest, long seed) {

        /** The CI configuration, or a larger one from {@code -Dshepherd.soak.callers/requests}. */
        public static Config fromSystemProperties() {
            return new Config(Integer.getInteger("shepherd.soak.callers", 8),
                    Integer.getInteger("shepherd.soak.requests", 200),
                    Duration.ofMillis(Long.getLong("shepherd.soak.timeoutMs", 400)),
                    Duration.ofMillis(Long.getLong("shepherd.soak.slowMs", 700)),
                    0.02, 0.10, 0.00002, Long.getLong("shepherd.soak.seed", 42L));
        }

        int totalRequests() {
            return callers * requestsPerCaller;
        }

        /** The bound every request must end within: every call of the worst case timing out, plus slack. */
        Duration deadline() {
            return clientTimeout.multipliedBy(MAX_CALLS_PER_REQUEST).plus(clientTimeout).plusSeconds(1);
        }
    }

    /** What happened. */
    public record Result(Config config, long[] latenciesNanos, Map<String, Integer> outcomes, Map<String, Integer> notes,
                         int unexpected, String firstUnexpected, long overDeadline, long maxLatencyNanos,
                         List<LedgerEntry> entries, CostTotals totals, double capUsd,
                         Map<Kind, Integer> smallFaults, Map<Kind, Integer> largeFaults,
                         FaultProxy.Usage smallDelivered, FaultProxy.Usage smallAbandoned, FaultProxy.Usage smallLate,
                         FaultProxy.Usage largeDelivered, FaultProxy.Usage largeAbandoned, FaultProxy.Usage largeLate,
                         long smallServerInput, long smallServerOutput, long largeServerInput, long largeServerOutput,
                         CountingChatModel.Parsed smallParsed, CountingChatModel.Parsed largeParsed,
                         int connectionsAfterRun, int inFlightAfterRun, double seconds,
                         long socketsBefore, long socketsPeak, long socketsAfterLoad, long socketsAfterClose) {

        Result withFds(long before, long peak, long afterLoad, long afterClose) {
            return new Result(config, latenciesNanos, outcomes, notes, unexpected, firstUnexpected, overDeadline,
                    maxLatencyNanos, entries, totals, capUsd, smallFaults, largeFaults, smallDelivered, smallAbandoned,
                    smallLate, largeDelivered, largeAbandoned, largeLate, smallServerInput, smallServerOutput,
                    largeServerInput, largeServerOutput, smallParsed, largeParsed, connectionsAfterRun, inFlightAfterRun, seconds,
                    before, peak, afterLoad, afterClose);
        }

        /** Requests answered (with text), of all issued. */
        int answered() {
            return outcomes.getOrDefault("answered", 0);
        }

        /** The share of requests answered. */
        double answeredShare() {
            return answered() / (double) config.totalRequests();
        }

        long percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
            return TimeUnit.NANOSECONDS.toMillis(sorted[i]);
        }

        double largeCost(FaultProxy.Usage u) {
            return LARGE_PRICES.cost(u.input(), u.output());
        }

        /** A human-readable report of the figures. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, String.join("\n",
                            "soak: %d callers x %d requests = %d requests in %.1f s (%.0f req/s)",
                            "  client timeout %d ms, slow responses held %d ms, deadline per request %d ms",
                            "  outcomes: %s; answered %.2f %%",
                            "  answered-with-notes: %s",
                            "  unexpected exceptions: %d%s",
                            "  latency p50 %d ms, p99 %d ms, max %d ms; over deadline: %d",
                            "  ledger: %d entries (%d distinct ids), %d failures, cost $%.6f",
                            "  small faults %s",
                            "  large faults %s",
                            "  small tokens  ledger in/out %d/%d | parsed by the client %s | server: delivered in time %s, "
                                    + "abandoned (slow, after timeout) %s, late %s, backend total %d/%d",
                            "  large tokens  ledger in/out %d/%d | parsed by the client %s | server: delivered in time %s, "
                                    + "abandoned (slow, after timeout) %s, late %s, backend total %d/%d",
                            "  spend cap $%.6f: ledger large cost $%.6f, server-delivered large cost $%.6f, "
                                    + "incl. abandoned (billed by a real provider) $%.6f",
                            "  open client connections to the proxies after the run: %d; requests in flight: %d",
                            "  open sockets: %d before, peak %d, %d after the load, %d after closing servers and clients"),
                    config.callers, config.requestsPerCaller, config.totalRequests(), seconds,
                    config.totalRequests() / seconds, config.clientTimeout.toMillis(), config.slowDelay.toMillis(),
                    config.deadline().toMillis(), outcomes, 100 * answeredShare(), notes, unexpected,
                    firstUnexpected == null ? "" : " (first: " + firstUnexpected + ")",
                    percentileMillis(0.50), percentileMillis(0.99), TimeUnit.NANOSECONDS.toMillis(maxLatencyNanos),
                    overDeadline, entries.size(), entries.stream().map(LedgerEntry::requestId).distinct().count(),
                    totals.failures(), totals.costUsd(), smallFaults, largeFaults,
                    totals.smallInputTokens(), totals.smallOutputTokens(), smallParsed, smallDelivered, smallAbandoned, smallLate,
                    smallServerInput, smallServerOutput,
                    totals.largeInputTokens(), totals.largeOutputTokens(), largeParsed, largeDelivered, largeAbandoned, largeLate,
                    largeServerInput, largeServerOutput,
                    capUsd, LARGE_PRICES.cost(totals.largeInputTokens(), totals.largeOutputTokens()),
                    largeCost(largeDelivered), largeCost(largeDelivered) + largeCost(largeAbandoned),
                    connectionsAfterRun, inFlightAfterRun, socketsBefore, socketsPeak, socketsAfterLoad, socketsAfterClose)
                    + failures();
        }

        /** Why the requests that ended in an exception failed: their failed calls by cause, and their call counts. */
        String failures() {
            Map<String, Integer> causes = new TreeMap<>();
            Map<Integer, Integer> callCounts = new TreeMap<>();
            for (LedgerEntry e : entries) {
                if (e.succeeded()) {
                    continue;
                }
                callCounts.merge(e.calls().size(), 1, Integer::sum);
                for (dev.shepherd.core.cost.CallRecord c : e.calls()) {
                    if (c.failed()) {
                        causes.merge(c.role().label() + " " + cause(c.error()), 1, Integer::sum);
                    }
                }
            }
            String slowest = entries.stream()
                    .sorted(java.util.Comparator.comparingLong(SoakRun.Result::timeInCalls).reversed()).limit(3)
                    .map(e -> timeInCalls(e) + " ms " + e.calls().stream()
                            .map(c -> c.role().label().charAt(0) + "/" + c.purpose().name().toLowerCase(java.util.Locale.ROOT)
                                    + " " + c.latency().toMillis() + (c.failed() ? " " + cause(c.error()) : ""))
                            .collect(java.util.stream.Collectors.joining(", ", "[", "]")))
                    .collect(java.util.stream.Collectors.joining("; "));
            return (callCounts.isEmpty() ? "" : "\n  failed requests: failed calls by cause " + causes
                    + "; calls per failed request " + callCounts) + "\n  most time in calls: " + slowest;
        }

        private static long timeInCalls(LedgerEntry e) {
            return e.calls().stream().mapToLong(c -> c.latency().toMillis()).sum();
        }

        private static String cause(String error) {
            for (String c : List.of("deadline", "rate limited", "server error", "timed out", "malformed",
                    "connection failed", "spend cap")) {
                if (error.contains(c)) {
                    return c;
                }
            }
            return "other";
        }
    }

    /** The predictor: of the disagreeing queries, 1/5 stay small, 2/5 get a 4-token hint, 2/5 go to the LLM. */
    static final HintPredictor PREDICTOR = (query, features) -> switch (Math.floorMod(query.text().hashCode(), 5)) {
        case 0 -> HintPrediction.of(0.1, 0);
        case 1, 2 -> HintPrediction.of(0.9, 4);
        default -> HintPrediction.of(0.9, 60);
    };

    static {
        // The JDK HttpServer (fake servers and proxies) keeps a connection whose client left before the response
        // until the server stops, unless a response-time limit is set: without it, slow responses beyond the
        // client timeout pile up server-side sockets for the whole run (the server's, not the client's).
        // Read once, when the first HttpServer starts; the pom sets the same for the whole test JVM.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "5"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "5"));
    }

    private SoakRun() {
    }

    /** Runs the configuration; servers and proxies are closed when it returns. */
    public static Result run(Config cfg) throws Exception {
        long fdsBefore = TcpConnections.openSockets();
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong(fdsBefore);
        java.util.concurrent.ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-fd-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(TcpConnections.openSockets(), Math::max),
                0, 250, TimeUnit.MILLISECONDS);
        Result r;
        try {
            r = load(cfg);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        // clients become garbage here: their connections close when collected
        long afterClose = TcpConnections.openSockets();
        for (int i = 0; i < 50 && afterClose > fdsBefore + 4; i++) {
            System.gc();
            Thread.sleep(100);
            afterClose = TcpConnections.openSockets();
        }
        return r.withFds(fdsBefore, peak.get(), r.socketsAfterLoad(), afterClose);
    }

    private static Result load(Config cfg) throws Exception {
        Map<Kind, Double> mix = Map.of(Kind.RATE_LIMITED, cfg.faultRate, Kind.SERVER_ERROR, cfg.faultRate,
                Kind.CONNECTION_RESET, cfg.faultRate, Kind.MALFORMED_JSON, cfg.faultRate, Kind.SLOW, cfg.slowRate);
        // the large model sees far fewer calls; three times the error rates so that every kind shows up in a CI run
        Map<Kind, Double> largeMix = Map.of(Kind.RATE_LIMITED, 3 * cfg.faultRate, Kind.SERVER_ERROR, 3 * cfg.faultRate,
                Kind.CONNECTION_RESET, 3 * cfg.faultRate, Kind.MALFORMED_JSON, 3 * cfg.faultRate, Kind.SLOW, cfg.slowRate);
        Duration lateAfter = cfg.clientTimeout.dividedBy(2);
        int serverThreads = 16 + cfg.callers * 4;
        try (FakeOllamaServer slm = FakeOllamaServer.builder()
                .responder(r -> SMALL_ANSWERS[ThreadLocalRandom.current().nextInt(SMALL_ANSWERS.length)])
                .recordRequests(false).threads(serverThreads).build();
             FakeOpenAiServer llm = FakeOpenAiServer.builder().responder(r -> LARGE_ANSWER)
                     .recordRequests(false).threads(serverThreads).build();
             FaultProxy smallProxy = FaultProxy.start(slm.baseUrl(), FaultProxy.Protocol.OLLAMA, mix, cfg.slowDelay,
                     lateAfter, cfg.seed, serverThreads);
             FaultProxy largeProxy = FaultProxy.start(llm.baseUrl(), FaultProxy.Protocol.OPENAI, largeMix, cfg.slowDelay,
                     lateAfter, cfg.seed + 1, serverThreads)) {
            CostLedger ledger = CostLedger.create();
            double cap = cfg.capUsdPerRequest * cfg.totalRequests();
            // no client retries: the executor's policy retries, and RetryAfterHeaders hands it the 429s' Retry-After
            CountingChatModel small = new CountingChatModel(OllamaChatModel.builder()
                    .httpClientBuilder(RetryAfterHeaders.httpClientBuilder())
                    .baseUrl(smallProxy.ollamaBaseUrl()).modelName("slm").maxRetries(0).timeout(cfg.clientTimeout).build());
            CountingChatModel large = new CountingChatModel(OpenAiChatModel.builder()
                    .httpClientBuilder(RetryAfterHeaders.httpClientBuilder())
                    .baseUrl(largeProxy.openAiBaseUrl()).apiKey("soak-key").modelName("llm").maxRetries(0)
                    .timeout(cfg.clientTimeout).build());
            ChatModel model = ShepherdChatModel.builder().small(small).large(large)
                    .smallName("slm").largeName("llm")
                    .policy(ReactiveShepherding.builder().samples(3).agreement(2).predictor(PREDICTOR)
                            .rule(new HintDecisionRule(0.5, 20, 200)).build())
                    .costModel(CostModel.localSmall(LARGE_PRICES))
                    .largeMaxOutputTokens(64)
                    .spendCap(SpendCap.of(cap, Duration.ofHours(1)))
                    .requestTimeout(requestDeadline(cfg.clientTimeout))
                    .retryPolicy(RETRY)
                    .smallFailure(SmallFailureMode.FALLBACK_TO_LARGE)
                    .ledger(ledger).build();

            long[] latencies = new long[cfg.totalRequests()];
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            Map<String, Integer> notes = new ConcurrentHashMap<>();
            AtomicInteger unexpected = new AtomicInteger();
            List<String> firstUnexpected = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong overDeadline = new AtomicLong();
            long deadline = cfg.deadline().toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(cfg.callers);
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < cfg.callers; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < cfg.requestsPerCaller; i++) {
                        long t0 = System.nanoTime();
                        try {
                            ChatResponse r = model.chat(UserMessage.from("question #" + caller + "-" + i + "?"));
                            String text = r.aiMessage().text();
                            if (text == null || text.isBlank()) {
                                throw new IllegalStateException("blank answer");
                            }
                            outcomes.merge("answered", 1, Integer::sum);
                            if (r.metadata() instanceof dev.shepherd.langchain4j.ShepherdChatResponseMetadata m) {
                                for (String n : m.notes()) {
                                    if (COUNTED_NOTES.contains(n)) {
                                        notes.merge(n, 1, Integer::sum);
                                    }
                                }
                            }
                        } catch (dev.shepherd.core.ShepherdException e) {
                            outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                        } catch (RuntimeException e) {
                            unexpected.incrementAndGet();
                            if (firstUnexpected.isEmpty()) {
                                firstUnexpected.add(e.toString());
                            }
                        }
                        long took = System.nanoTime() - t0;
                        latencies[caller * cfg.requestsPerCaller + i] = took;
                        if (took > deadline) {
                            overDeadline.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(); // each caller's loop is bounded; every call is bounded by the client timeout
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            // Slow responses still sleeping in the proxy finish within slowDelay; let them settle before counting.
            waitUntil(() -> smallProxy.inFlight() == 0 && largeProxy.inFlight() == 0, cfg.slowDelay.plusSeconds(5));
            int connections = TcpConnections.clientSideTo(smallProxy.port()) + TcpConnections.clientSideTo(largeProxy.port());
            long max = Arrays.stream(latencies).max().orElse(0);
            return new Result(cfg, latencies, new TreeMap<>(outcomes), new TreeMap<>(notes), unexpected.get(),
                    firstUnexpected.isEmpty() ? null : firstUnexpected.get(0), overDeadline.get(), max,
                    ledger.entries(), ledger.totals(), cap, faults(smallProxy), faults(largeProxy),
                    smallProxy.delivered(), smallProxy.abandoned(), smallProxy.late(),
                    largeProxy.delivered(), largeProxy.abandoned(), largeProxy.late(),
                    slm.promptTokens(), slm.completionTokens(), llm.promptTokens(), llm.completionTokens(),
                    small.snapshot(), large.snapshot(), connections, smallProxy.inFlight() + largeProxy.inFlight(), seconds,
                    0, 0, TcpConnections.openSockets(), 0);
        }
    }

    private static Map<Kind, Integer> faults(FaultProxy p) {
        Map<Kind, Integer> m = new java.util.EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, p.count(k));
        }
        return m;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }
}
