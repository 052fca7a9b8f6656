package dev.shepherd.cli.live;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK HTTP client whose {@code sendAsync} runs the blocking {@code send} on a pool of reused daemon
 * threads, and so completes there.
 *
 * <p>Why: LangChain4j's JDK client streams with {@code sendAsync(...).thenAccept(parse)}, and the JDK
 * completes {@code sendAsync} in {@code CompletableFuture}'s default executor, so the parse, which blocks
 * reading the body for the whole answer, runs there: in the common fork-join pool, or, on a machine
 * with fewer than three CPUs (where that pool has one thread), in a thread created for every stream.
 * Here it runs on a pool thread that the next stream reuses. Blocking calls ({@code send}) are
 * delegated as they are. Thread-safe.
 */
final class PooledSendClient extends HttpClient {

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by every client: one thread per stream in flight, kept a minute for the next one. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "shepherd-model-stream-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final HttpClient delegate;

    private PooledSendClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    /** Wraps a JDK client builder: the clients it builds send asynchronous requests from the pool. */
    static HttpClient.Builder wrapping(HttpClient.Builder delegate) {
        return new Builder(Objects.requireNonNull(delegate, "delegate"));
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegate.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<HttpResponse<T>> response = new CompletableFuture<>();
        POOL.execute(() -> {
            try {
                response.complete(delegate.send(request, handler));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
                response.completeExceptionally(e);
            }
        });
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    /** Configures the delegate's builder; builds a {@link PooledSendClient} around its client. */
    private static final class Builder implements HttpClient.Builder {
        private final HttpClient.Builder delegate;

        Builder(HttpClient.Builder delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            delegate.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            delegate.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            delegate.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient build() {
            return new PooledSendClient(delegate.build());
        }
    }
}
