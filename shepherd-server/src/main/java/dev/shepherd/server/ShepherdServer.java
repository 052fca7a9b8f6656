package dev.shepherd.server;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.server.internal.ShepherdHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server that shepherds every chat completion, on Jetty 12.
 *
 * <pre>{@code
 * try (ShepherdServer server = ShepherdServer.builder()
 *         .chatModel(shepherdChatModel)               // a ShepherdChatModel: complete answers
 *         .streamingModel(shepherdStreamingModel)     // a ShepherdStreamingChatModel: "stream": true
 *         .port(8080)
 *         .apiKeys(ApiKeys.fromFile(Path.of("keys.txt")))
 *         .build().start()) {
 *     server.join();
 * }
 * }</pre>
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: OpenAI's chat completions, complete or streamed as server-sent
 *       events ({@code data: {chunk}} lines, then {@code data: [DONE]}); the hint, as it is bought,
 *       streams as {@code delta.reasoning_content}. A complete answer carries the decision, tier, hint tokens
 *       and cost in {@code x-shepherd-*} headers and in an extra {@code shepherd} object; a streamed one in
 *       the {@code shepherd} object of its last chunk (its headers left before the decision was made).</li>
 *   <li>{@code GET /v1/models}: the one model id served ({@code shepherd} by default).</li>
 *   <li>{@code GET /health}: {@code {"status":"ok"}}, without a key; 503 once shutdown began.</li>
 *   <li>{@code GET /metrics}: the Prometheus scrape of {@link #registry()} — the server's own meters, the
 *       ledger's totals, and whatever else is bound to that registry.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Bearer keys ({@link ApiKeys}; none: every client is admitted); a request body over
 * {@link Builder#maxRequestBytes(long)} is refused with 413; more than {@link Builder#maxConcurrent(int)}
 * chat completions at once are refused with 429 and {@code Retry-After: 1}, never queued. Bad input is
 * answered with 400 and OpenAI's error JSON naming the field and value; a small model that fails with
 * 502; a spend cap reached in strict mode with 429.
 *
 * <h2>Shutdown</h2>
 * {@link #close()} drains: it stops accepting connections, answers new requests on open connections with
 * 503, waits up to {@link Builder#drainTimeout(Duration)} for the requests in flight (streams included) to
 * finish, stops, and then runs {@link Builder#afterDrain(Runnable)} (e.g. to flush a ledger). Idempotent.
 *
 * <p>The server does not own the models: close them yourself. Thread-safe.
 */
public final class ShepherdServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShepherdServer.class);

    private final Server jetty;
    private final ServerConnector connector;
    private final GracefulHandler graceful;
    private final PrometheusMeterRegistry registry;
    private final Runnable afterDrain;
    private final Duration drainTimeout;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int boundPort = -1;

    private ShepherdServer(Builder b) {
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.afterDrain = b.afterDrain;
        this.drainTimeout = b.drainTimeout;
        this.host = b.host;
        CostLedger ledger = b.ledger != null ? b.ledger
                : b.chatModel instanceof ShepherdChatModel m ? m.ledger() : null;
        String largeName = b.chatModel instanceof ShepherdChatModel m ? m.largeName() : null;
        ShepherdHandler handler = new ShepherdHandler(new ShepherdHandler.Settings(b.chatModel, b.streamingModel,
                b.modelId, largeName, b.apiKeys, b.maxRequestBytes, b.maxConcurrent, registry, ledger));
        // Room for every permitted request plus acceptor, selector and the quick 429/health answers.
        QueuedThreadPool threads = new QueuedThreadPool(b.maxConcurrent + 32, 8);
        threads.setName("shepherd-server");
        this.jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        jetty.addConnector(connector);
        this.graceful = new GracefulHandler(handler);
        jetty.setHandler(graceful);
        jetty.setStopTimeout(b.drainTimeout.toMillis());
        jetty.setStopAtShutdown(false);
    }

    /** A builder; the chat model is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @return this server
     * @throws UncheckedIOException when the address cannot be bound (the port is in use)
     */
    public ShepherdServer start() {
        try {
            jetty.start();
        } catch (IOException e) {
            stopQuietly();
            throw new UncheckedIOException("cannot listen on " + host + ":" + connector.getPort()
                    + (e instanceof BindException ? " (the port is in use)" : "") + ": " + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
        }
        boundPort = connector.getLocalPort();
        return this;
    }

    /** The port listened on (the actual one when built with port 0; still told after close); -1 before start. */
    public int port() {
        return boundPort;
    }

    /** The base URL of the OpenAI API, e.g. {@code http://127.0.0.1:8080/v1}. */
    public URI baseUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : h) + ":" + port() + "/v1");
    }

    /** The registry {@code /metrics} scrapes; bind more meters to it. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Requests being answered now. */
    public long inFlight() {
        return graceful.getCurrentRequestCount();
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Drains and stops: no new connections; new requests on open ones get 503; requests in flight get up to
     * the drain timeout to finish; then {@code afterDrain} runs. Idempotent; later calls return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long inFlight = inFlight();
        long start = System.nanoTime();
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("the server did not stop cleanly: {}", e.getMessage());
        }
        long left = inFlight();
        log.info("stopped after draining {} request(s) in {} ms{}", inFlight, (System.nanoTime() - start) / 1_000_000,
                left > 0 ? "; " + left + " did not finish within " + drainTimeout : "");
        try {
            afterDrain.run();
        } catch (RuntimeException e) {
            log.error("after-drain step failed: {}", e.getMessage(), e);
        }
    }

    private void stopQuietly() {
        try {
            jetty.stop();
        } catch (Exception ignored) {
            // already failing to start
        }
    }

    /** Fail-fast builder: each setter validates at once and names the field. Not thread-safe. */
    public static final class Builder {
        private ChatModel chatModel;
        private StreamingChatModel streamingModel;
        private String host = "127.0.0.1";
        private int port = 8080;
        private String modelId = "shepherd";
        private ApiKeys apiKeys = ApiKeys.none();
        private long maxRequestBytes = 1 << 20;
        private int maxConcurrent = 64;
        private Duration drainTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private PrometheusMeterRegistry registry;
        private CostLedger ledger;
        private Runnable afterDrain = () -> { };

        private Builder() {
        }

        /** Answers complete requests; a {@link ShepherdChatModel} adds the shepherd headers and fields. Required. */
        public Builder chatModel(ChatModel model) {
            this.chatModel = Objects.requireNonNull(model, "chatModel");
            return this;
        }

        /** Answers {@code "stream": true}; without one such requests get 400. */
        public Builder streamingModel(StreamingChatModel model) {
            this.streamingModel = Objects.requireNonNull(model, "streamingModel");
            return this;
        }

        /** The address to listen on; {@code 127.0.0.1} by default ({@code 0.0.0.0}: every interface). */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank but was " + (host == null ? "null" : "'" + host + "'"));
            }
            this.host = host;
            return this;
        }

        /** The port; 8080 by default, 0 for any free one ({@link #port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535] but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The model id clients send and {@code /v1/models} lists; {@code shepherd} by default. */
        public Builder modelId(String modelId) {
            if (modelId == null || modelId.isBlank()) {
                throw new IllegalArgumentException("modelId must not be blank but was "
                        + (modelId == null ? "null" : "'" + modelId + "'"));
            }
            this.modelId = modelId;
            return this;
        }

        /** The client keys; {@link ApiKeys#none()} (no authentication) by default. */
        public Builder apiKeys(ApiKeys keys) {
            this.apiKeys = Objects.requireNonNull(keys, "apiKeys");
            return this;
        }

        /** The largest request body accepted, bytes; 1 MiB by default. */
        public Builder maxRequestBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 1 but was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** Chat completions answered at once; more are refused with 429. 64 by default. */
        public Builder maxConcurrent(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("maxConcurrent must be >= 1 but was " + requests);
            }
            this.maxConcurrent = requests;
            return this;
        }

        /** How long {@link #close()} waits for requests in flight; 30 s by default. */
        public Builder drainTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "drainTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("drainTimeout must be positive but was " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /** How long a connection may stay silent (a long hint or sample phase included); 5 min by default. */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "idleTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive but was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** The registry {@code /metrics} scrapes; a new one by default. */
        public Builder registry(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The ledger whose totals {@code /metrics} shows; the chat model's when it is a {@link ShepherdChatModel}. */
        public Builder ledger(CostLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /** Runs once the requests in flight have drained on {@link #close()}, e.g. to flush a ledger. */
        public Builder afterDrain(Runnable step) {
            this.afterDrain = Objects.requireNonNull(step, "afterDrain");
            return this;
        }

        /** @throws IllegalStateException when the chat model is missing */
        public ShepherdServer build() {
            if (chatModel == null) {
                throw new IllegalStateException("chatModel is required: call chatModel(...)");
            }
            return new ShepherdServer(this);
        }
    }
}
