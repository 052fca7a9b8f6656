package dev.shepherd.langchain4j.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure a fake server injects instead of (or before) its normal answer. Immutable.
 *
 * @param kind       what happens
 * @param status     the HTTP status for {@link Kind#STATUS}
 * @param retryAfter the {@code Retry-After} header in seconds for a status fault, or {@code null}
 * @param delay      how long to wait before answering normally, for {@link Kind#DELAY}
 */
public record Fault(Kind kind, int status, Integer retryAfter, Duration delay) {

    /** The kinds of fault. */
    public enum Kind {
        /** An HTTP error status with the protocol's error body. */
        STATUS,
        /** Wait, then answer normally (a slow server; clients with shorter timeouts give up). */
        DELAY,
        /** HTTP 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** Close the connection without any response (the client sees a reset / EOF). */
        CONNECTION_RESET
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
    }

    /** HTTP {@code status} with the protocol's error body. */
    public static Fault status(int status) {
        return new Fault(Kind.STATUS, status, null, null);
    }

    /** HTTP 429 with a {@code Retry-After} header. */
    public static Fault rateLimited(int retryAfterSeconds) {
        return new Fault(Kind.STATUS, 429, retryAfterSeconds, null);
    }

    /** A slow response: wait {@code delay}, then answer normally. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, null, Objects.requireNonNull(delay, "delay"));
    }

    /** HTTP 200 with malformed JSON. */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 0, null, null);
    }

    /** The connection is closed abruptly before any response. */
    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, null, null);
    }
}
