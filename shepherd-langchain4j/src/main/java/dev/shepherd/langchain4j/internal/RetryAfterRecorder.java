package dev.shepherd.langchain4j.internal;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Keeps the {@code Retry-After} header of the last failed (4xx/5xx) response of a synchronous
 * {@code send} on the calling thread, for the LangChain4j adapter to read after LangChain4j has turned
 * the response into an exception without headers. Thread-safe: the value is per thread.
 */
public final class RetryAfterRecorder {

    private static final ThreadLocal<Duration> LAST = new ThreadLocal<>();

    private RetryAfterRecorder() {
    }

    /** Forgets this thread's last value: call before a model call. */
    public static void clear() {
        LAST.remove();
    }

    /** This thread's last recorded {@code Retry-After}, forgotten once read. */
    public static Duration take() {
        Duration d = LAST.get();
        LAST.remove();
        return d;
    }

    /** Wraps a JDK client builder: the clients it builds record {@code Retry-After}. */
    public static HttpClient.Builder recording(HttpClient.Builder delegate) {
        return new RecordingBuilder(Objects.requireNonNull(delegate, "delegate"));
    }

    /**
     * A {@code Retry-After} value as a wait: delay-seconds or an HTTP-date (RFC 9110); empty when it is
     * neither. A date in the past is a wait of zero.
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static void record(HttpResponse<?> response) {
        if (response.statusCode() >= 400) {
            Optional<Duration> d = response.headers().firstValue("Retry-After").flatMap(v -> parse(v, Instant.now()));
            if (d.isPresent()) {
                LAST.set(d.get());
                return;
            }
        }
        LAST.remove();
    }

    /** Builds a {@link RecordingClient} around what the delegate builds. */
    private static final class RecordingBuilder implements HttpClient.Builder {
        private final HttpClient.Builder delegate;

        RecordingBuilder(HttpClient.Builder delegate) {
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
        public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(HttpClient.Version version) {
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
            return new RecordingClient(delegate.build());
        }
    }

    /** Delegates everything; a synchronous send records the response's {@code Retry-After}. */
    private static final class RecordingClient extends HttpClient {
        private final HttpClient delegate;

        RecordingClient(HttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpResponse<T> response = delegate.send(request, handler);
            record(response);
            return response;
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return delegate.sendAsync(request, handler);
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
    }
}
