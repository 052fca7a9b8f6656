package dev.shepherd.langchain4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The common part of {@link FakeOpenAiServer} and {@link FakeOllamaServer}: a JDK
 * {@link HttpServer} on 127.0.0.1 at an ephemeral port, a fixed thread pool (so it can be called
 * concurrently), a scriptable {@link Responder}, request recording, server-side usage counters and
 * fault injection. Answers are truncated to the request's output cap with {@link WordTokenizer},
 * and usage is counted with it too (prompt tokens: the words of every message's content).
 *
 * <p>Thread-safe: counters are atomic, recordings concurrent queues, the responder and the
 * persistent fault are swapped atomically. Close it to free the port and the threads.
 */
public abstract class FakeChatServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's
        // delayed ACK stalls every response by ~40 ms. Read once, when the first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Otherwise the JDK server keeps every connection whose client timed out until it stops, and a
        // long load test runs out of file descriptors.
        for (String limit : new String[] {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"}) {
            if (System.getProperty(limit) == null) {
                System.setProperty(limit, "5");
            }
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> knownModels;
    private final boolean recordBodies;
    private final boolean refuseLogprobs;
    private final AtomicReference<Responder> responder;
    private final AtomicReference<Fault> fault = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Fault> nextFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FakeChatRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger answeredCount = new AtomicInteger();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();

    FakeChatServer(Settings settings, String path) {
        this.knownModels = Set.copyOf(settings.knownModels);
        this.recordBodies = settings.recordBodies;
        this.refuseLogprobs = settings.refuseLogprobs;
        this.responder = new AtomicReference<>(Objects.requireNonNull(settings.responder, "responder"));
        AtomicInteger threadNo = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(settings.threads, r -> {
            Thread t = new Thread(r, getClass().getSimpleName() + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a fake server on 127.0.0.1", e);
        }
        server.setExecutor(executor);
        server.createContext(path, this::handle);
        server.createContext("/", exchange -> {
            drain(exchange);
            send(exchange, 404, "application/json", "{\"error\":\"no such endpoint: " + exchange.getRequestURI() + "\"}");
        });
        server.start();
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL to give the LangChain4j client. */
    public abstract String baseUrl();

    /** Replaces the responder for the following requests. */
    public void responder(Responder newResponder) {
        responder.set(Objects.requireNonNull(newResponder, "responder"));
    }

    /** Injects {@code f} into every following request until {@link #clearFaults()}. */
    public void fault(Fault f) {
        fault.set(Objects.requireNonNull(f, "fault"));
    }

    /** Injects {@code f} into the next request only (queued; consumed before any persistent fault). */
    public void faultNext(Fault f) {
        nextFaults.add(Objects.requireNonNull(f, "fault"));
    }

    /** Removes the persistent fault and any queued ones. */
    public void clearFaults() {
        fault.set(null);
        nextFaults.clear();
    }

    /** Every request received that could be parsed, in arrival order (empty when recording is off). */
    public List<FakeChatRequest> requests() {
        return new ArrayList<>(requests);
    }

    /** The last recorded request. */
    public FakeChatRequest lastRequest() {
        List<FakeChatRequest> all = requests();
        if (all.isEmpty()) {
            throw new IllegalStateException("no request was recorded");
        }
        return all.get(all.size() - 1);
    }

    /** How many requests reached the chat endpoint, faulted ones included. */
    public int requestCount() {
        return requestCount.get();
    }

    /** How many requests got a normal answer. */
    public int answeredCount() {
        return answeredCount.get();
    }

    /** Prompt tokens of every answered request. */
    public long promptTokens() {
        return promptTokens.get();
    }

    /** Completion tokens of every answered request. */
    public long completionTokens() {
        return completionTokens.get();
    }

    /** Forgets recorded requests and zeroes the counters. */
    public void reset() {
        requests.clear();
        requestCount.set(0);
        answeredCount.set(0);
        promptTokens.set(0);
        completionTokens.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses a request body of this protocol. */
    abstract FakeChatRequest parse(String path, String body) throws IOException;

    /** Writes the error body of this protocol. */
    abstract String errorBody(int status, String message);

    /** Writes a normal (complete or streamed) answer. */
    abstract void answer(HttpExchange exchange, FakeChatRequest request, Answer answer) throws IOException;

    /**
     * What the server answers: the emitted tokens, why it stopped and the usage it reports; {@code cutAfter} ≥ 0
     * drops the connection after that many tokens ({@link Fault#cutStreamAfter(int)}), -1 answers in full.
     */
    record Answer(List<String> tokens, String finishReason, int promptTokens, int cutAfter) {
        String text() {
            return String.join("", tokens);
        }

        boolean cut() {
            return cutAfter >= 0;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requestCount.incrementAndGet();
            FakeChatRequest request;
            try {
                request = parse(exchange.getRequestURI().getPath(), body);
            } catch (IOException | RuntimeException e) {
                send(exchange, 400, "application/json", errorBody(400, "cannot parse request: " + e.getMessage()));
                return;
            }
            if (recordBodies) {
                requests.add(request);
            }
            Fault f = nextFaults.poll();
            if (f == null) {
                f = fault.get();
            }
            int cutAfter = f != null && f.kind() == Fault.Kind.CUT_STREAM ? f.tokens() : -1;
            if (f != null && cutAfter < 0 && !applyFault(exchange, f)) {
                return;
            }
            if (refuseLogprobs && request.logprobs()) {
                send(exchange, 400, "application/json", errorBody(400, "logprobs is not supported by this server"));
                return;
            }
            if (!knownModels.isEmpty() && !knownModels.contains(request.model())) {
                send(exchange, 404, "application/json", errorBody(404, "model '" + request.model() + "' not found"));
                return;
            }
            Answer answer = compose(request, cutAfter);
            if (!answer.cut()) {
                answeredCount.incrementAndGet();
                promptTokens.addAndGet(answer.promptTokens());
                completionTokens.addAndGet(answer.tokens().size());
            }
            answer(exchange, request, answer);
        } catch (IOException e) {
            // The client went away (timeout, reset): nothing to answer.
        }
    }

    /** @return whether to go on and answer normally */
    private boolean applyFault(HttpExchange exchange, Fault f) throws IOException {
        switch (f.kind()) {
            case DELAY:
                try {
                    Thread.sleep(f.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                return true;
            case STATUS:
                if (f.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", String.valueOf(f.retryAfter()));
                }
                send(exchange, f.status(), "application/json", errorBody(f.status(), "injected HTTP " + f.status()));
                return false;
            case MALFORMED_JSON:
                send(exchange, 200, "application/json", "{\"id\":\"broken\",\"choices\":[{\"message\":{\"content\":\"unterminated");
                return false;
            default:
                // Closing before sending headers makes the JDK server drop the connection.
                exchange.close();
                return false;
        }
    }

    private Answer compose(FakeChatRequest request, int cutAfter) {
        String full = responder.get().respond(request);
        full = full == null ? "" : full;
        String finish = "stop";
        for (String s : request.stop()) {
            int at = s.isEmpty() ? -1 : full.indexOf(s);
            if (at >= 0) {
                full = full.substring(0, at);
            }
        }
        List<String> tokens = WordTokenizer.tokens(full);
        if (request.maxTokens() != null && tokens.size() > request.maxTokens()) {
            tokens = tokens.subList(0, request.maxTokens());
            finish = "length";
        }
        int prompt = 0;
        for (FakeChatRequest.Message m : request.messages()) {
            prompt += WordTokenizer.count(m.content());
        }
        return new Answer(List.copyOf(tokens), finish, prompt, cutAfter);
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void drain(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
    }

    /** Settings both servers' builders share. */
    static final class Settings {
        Responder responder;
        Set<String> knownModels = Set.of();
        int threads = 16;
        boolean recordBodies = true;
        boolean refuseLogprobs;
    }
}
