package dev.shepherd.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on 127.0.0.1 in front of a fake chat server that injects one seeded, randomly drawn
 * {@link Kind fault} per request and keeps the server-side books the load test reconciles the ledger
 * against:
 * <ul>
 *   <li><b>delivered</b>: usage of responses forwarded from the backend and written to the client well within
 *       the client's timeout; the client parses them unless it is starved of CPU past its timeout;</li>
 *   <li><b>abandoned</b>: usage of {@link Kind#SLOW} responses, computed (and, by a real provider, billed) after
 *       the client had already timed out; the ledger cannot and does not hold them;</li>
 *   <li><b>late</b>: usage of normal responses that took the proxy longer than {@code lateAfter} to deliver;
 *       the client may or may not have parsed them (zero in a healthy run, reported, never silently
 *       reconciled).</li>
 * </ul>
 * 429 (with {@code Retry-After}), 500, connection resets and malformed JSON never reach the backend,
 * so nothing is billed for them. Thread-safe. Close it to free the port and the threads.
 *
 * <p>A handler books a response after it has written it, so a client can have parsed a response (and its
 * caller moved on) before the books show it: read the books after {@link #awaitIdle(Duration)}.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with one request. */
    public enum Kind { NONE, RATE_LIMITED, SERVER_ERROR, CONNECTION_RESET, SLOW, MALFORMED_JSON }

    /** The protocol, to read usage from the backend's response. */
    public enum Protocol { OPENAI, OLLAMA }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final String backend;
    private final Protocol protocol;
    private final Map<Kind, Double> mix;
    private final Duration slowDelay;
    private final long lateAfterNanos;
    private final SplittableRandom random;
    private final Map<Kind, AtomicInteger> counts = new EnumMap<>(Kind.class);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Usage delivered = new Usage();
    private final Usage abandoned = new Usage();
    private final Usage late = new Usage();

    private FaultProxy(String backendBaseUrl, Protocol protocol, Map<Kind, Double> mix, Duration slowDelay,
                       Duration lateAfter, long seed, int threads) {
        this.backend = backendBaseUrl.replaceAll("/v1/?$", "").replaceAll("/$", "");
        this.protocol = protocol;
        this.mix = Map.copyOf(mix);
        this.slowDelay = slowDelay;
        this.lateAfterNanos = lateAfter.toNanos();
        this.random = new SplittableRandom(seed);
        for (Kind k : Kind.values()) {
            counts.put(k, new AtomicInteger());
        }
        AtomicInteger no = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fault-proxy-" + no.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * A proxy in front of {@code backendBaseUrl}.
     *
     * @param mix        probability of each fault kind (the rest is {@link Kind#NONE})
     * @param slowDelay  how long a {@link Kind#SLOW} response is held back (longer than the client timeout)
     * @param lateAfter  a normal response taking longer than this is counted as late (ambiguous)
     */
    public static FaultProxy start(String backendBaseUrl, Protocol protocol, Map<Kind, Double> mix, Duration slowDelay,
                                   Duration lateAfter, long seed, int threads) {
        double sum = mix.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum > 1 || mix.containsKey(Kind.NONE)) {
            throw new IllegalArgumentException("fault probabilities must sum to <= 1 without NONE but were " + mix);
        }
        return new FaultProxy(Objects.requireNonNull(backendBaseUrl, "backendBaseUrl"), protocol, mix, slowDelay,
                lateAfter, seed, threads);
    }

    /** Base URL for an OpenAI client ({@code http://127.0.0.1:PORT/v1}). */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Base URL for an Ollama client ({@code http://127.0.0.1:PORT}). */
    public String ollamaBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The listening port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests got {@code kind}. */
    public int count(Kind kind) {
        return counts.get(kind).get();
    }

    /** Requests being handled right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until no request is being handled, so that the books hold every response a client has received.
     *
     * @throws IllegalStateException when a request is still in flight after {@code timeout} or the wait is
     *                               interrupted
     */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(inFlight.get() + " request(s) still in flight after " + timeout);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the proxy to be idle", e);
            }
        }
    }

    /** Usage of responses the client parsed (complete once {@link #awaitIdle(Duration) idle}). */
    public Usage delivered() {
        return delivered;
    }

    /** Usage the backend computed for clients that had already given up. */
    public Usage abandoned() {
        return abandoned;
    }

    /** Usage of normal responses delivered so late that the client may have given up. */
    public Usage late() {
        return late;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Kind draw() {
        double u;
        synchronized (random) {
            u = random.nextDouble();
        }
        for (Map.Entry<Kind, Double> e : new java.util.TreeMap<>(mix).entrySet()) {
            if (u < e.getValue()) {
                return e.getKey();
            }
            u -= e.getValue();
        }
        return Kind.NONE;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Kind kind = draw();
            counts.get(kind).incrementAndGet();
            switch (kind) {
                case RATE_LIMITED -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    send(exchange, 429, "{\"error\":{\"message\":\"injected rate limit\",\"type\":\"rate_limit\"}}");
                }
                case SERVER_ERROR -> send(exchange, 500, "{\"error\":{\"message\":\"injected server error\"}}");
                case CONNECTION_RESET -> exchange.close(); // before any header: the JDK server drops the connection
                case MALFORMED_JSON -> send(exchange, 200, "{\"id\":\"broken\",\"choices\":[{\"message\":{\"content\":\"unterm");
                case SLOW -> {
                    sleep(slowDelay);
                    Forwarded f = forward(exchange, body);
                    abandoned.add(f.input, f.output);
                    trySend(exchange, f);
                }
                default -> {
                    Forwarded f = forward(exchange, body);
                    boolean written = trySend(exchange, f);
                    if (!f.ok) {
                        return;
                    }
                    if (written && System.nanoTime() - start <= lateAfterNanos) {
                        delivered.add(f.input, f.output);
                    } else {
                        late.add(f.input, f.output);
                    }
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private record Forwarded(int status, byte[] body, long input, long output, boolean ok) {
    }

    private Forwarded forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(backend + exchange.getRequestURI().getPath()).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        int status = c.getResponseCode();
        byte[] response;
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            response = in == null ? new byte[0] : in.readAllBytes();
        }
        if (status != 200) {
            return new Forwarded(status, response, 0, 0, false);
        }
        JsonNode root = JSON.readTree(response);
        long in;
        long out;
        if (protocol == Protocol.OPENAI) {
            in = root.path("usage").path("prompt_tokens").asLong();
            out = root.path("usage").path("completion_tokens").asLong();
        } else {
            in = root.path("prompt_eval_count").asLong();
            out = root.path("eval_count").asLong();
        }
        return new Forwarded(status, response, in, out, true);
    }

    private static boolean trySend(HttpExchange exchange, Forwarded f) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(f.status, f.body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(f.body);
            }
            return true;
        } catch (IOException e) {
            return false; // the client went away
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Token counters. Thread-safe. */
    public static final class Usage {
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong input = new AtomicLong();
        private final AtomicLong output = new AtomicLong();

        void add(long in, long out) {
            calls.incrementAndGet();
            input.addAndGet(in);
            output.addAndGet(out);
        }

        /** Responses counted. */
        public long calls() {
            return calls.get();
        }

        /** Prompt tokens. */
        public long input() {
            return input.get();
        }

        /** Completion tokens. */
        public long output() {
            return output.get();
        }

        @Override
        public String toString() {
            return calls.get() + " calls, " + input.get() + " in / " + output.get() + " out";
        }
    }
}
