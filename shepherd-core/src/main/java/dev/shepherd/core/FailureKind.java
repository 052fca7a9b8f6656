package dev.shepherd.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Why a model call failed, as far as retrying is concerned: the typed classification a
 * {@link ModelCallException} carries ({@link ModelCallException#kind()}) and a
 * {@link dev.shepherd.core.run.RetryPolicy} decides on. Adapters set it from their client's
 * exceptions (shepherd-langchain4j maps LangChain4j's {@code RateLimitException},
 * {@code InternalServerException}, {@code TimeoutException}, {@code HttpException.statusCode()} and the
 * {@code NonRetriableException} family); {@link #of(Throwable)} classifies what the JDK alone can tell.
 */
public enum FailureKind {
    /** HTTP 429: the backend refused the call for now; it may say when to come back ({@code Retry-After}). */
    RATE_LIMITED,
    /** HTTP 5xx: the backend failed while serving a valid request. */
    SERVER_ERROR,
    /** The connection was refused, reset or closed before a complete response arrived. */
    NETWORK,
    /** The call, or the connection, timed out (HTTP 408 included). */
    TIMEOUT,
    /** A response arrived but could not be read (not JSON, missing fields, no usage). */
    MALFORMED_RESPONSE,
    /**
     * The request itself was refused as wrong: HTTP 4xx other than 408 and 429 (invalid request,
     * authentication, unknown model, content filter) or a local check. Retrying cannot help.
     */
    REQUEST_ERROR,
    /** Anything else: a failure no adapter classified. */
    OTHER;

    /**
     * What the JDK's own exception types in {@code failure}'s cause chain say: a
     * {@link TimeoutException}, an {@link InterruptedIOException} (socket timeouts) or an
     * {@code IOException} whose name ends in {@code TimeoutException} (the HTTP client's) is
     * {@link #TIMEOUT}; any other {@link IOException} (refused, reset, closed) is {@link #NETWORK};
     * the rest is {@link #OTHER}.
     */
    public static FailureKind of(Throwable failure) {
        FailureKind found = OTHER;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof TimeoutException || t instanceof InterruptedIOException
                    || (t instanceof IOException && t.getClass().getSimpleName().endsWith("TimeoutException"))) {
                return TIMEOUT;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                found = NETWORK;
            }
        }
        return found;
    }
}
