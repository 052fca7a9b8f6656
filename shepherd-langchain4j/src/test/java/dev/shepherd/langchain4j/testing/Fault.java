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
 * @param tokens     how many tokens stream before the connection drops, for {@link Kind#CUT_STREAM}
 */
public record Fault(Kind kind, int status, Integer retryAfter, Duration delay, int tokens) {

    /** The kinds of fault. */
    public enum Kind {
        /** An HTTP error status with the protocol's error body. */
        STATUS,
        /** Wait, then answer normally (a slow server; clients with shorter timeouts give up). */
        DELAY,
        /** HTTP 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** Close the connection without any response (the client sees a reset / EOF). */
        CONNECTION_RESET,
        /**
         * Answer normally, but drop the connection after {@code tokens} tokens: a streamed answer stops mid-stream
         * (the client has the first tokens, then an EOF before the announced length), a complete answer is cut
         * mid-body. The Ollama server answers it as {@link #CONNECTION_RESET}.
         */
        CUT_STREAM
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0 but was " + tokens);
        }
    }

    /** HTTP {@code status} with the protocol's error body. */
    public static Fault status(int status) {
        return new Fault(Kind.STATUS, status, null, null, 0);
    }

    /** HTTP 429 with a {@code Retry-After} header. */
    public static Fault rateLimited(int retryAfterSeconds) {
        return new Fault(Kind.STATUS, 429, retryAfterSeconds, null, 0);
    }

    /** A slow response: wait {@code delay}, then answer normally. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, null, Objects.requireNonNull(delay, "delay"), 0);
    }

    /** HTTP 200 with malformed JSON. */
    public static Fault malformedJson() {
        return new Fault(Kind.MALFORMED_JSON, 0, null, null, 0);
    }

    /** The connection is closed abruptly before any response. */
    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, null, null, 0);
    }

    /** A model that fails mid-stream: the first {@code tokens} tokens arrive, then the connection drops. */
    public static Fault cutStreamAfter(int tokens) {
        return new Fault(Kind.CUT_STREAM, 0, null, null, tokens);
    }
}
