package dev.shepherd.langchain4j.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

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
        return ForwardingHttpClient.wrapping(delegate, RecordingClient::new);
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

    /** Delegates everything; a synchronous send records the response's {@code Retry-After}. */
    private static final class RecordingClient extends ForwardingHttpClient {

        RecordingClient(HttpClient delegate) {
            super(delegate);
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpResponse<T> response = delegate.send(request, handler);
            record(response);
            return response;
        }
    }
}
