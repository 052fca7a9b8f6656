package dev.shepherd.langchain4j.internal;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.model.ModelRole;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Turns LangChain4j client exceptions into short, actionable descriptions and classified
 * {@link ModelCallException}s. Thread-safe (stateless).
 */
public final class ModelErrors {

    private static final int MAX_DETAIL = 300;

    private ModelErrors() {
    }

    /** What went wrong, e.g. {@code "rate limited (HTTP 429, RateLimitException): ..."}. */
    public static String describe(Throwable e) {
        String kind;
        if (e instanceof RateLimitException) {
            kind = "rate limited (HTTP 429)";
        } else if (e instanceof ModelNotFoundException) {
            kind = "model not found (HTTP 404): check the model name";
        } else if (e instanceof AuthenticationException) {
            kind = "authentication failed (HTTP 401/403)";
        } else if (e instanceof InternalServerException) {
            kind = "server error (HTTP 5xx)";
        } else if (e instanceof InvalidRequestException) {
            kind = "request rejected as invalid (HTTP 4xx or a local check)";
        } else if (e instanceof UnresolvedModelServerException) {
            kind = "model server address cannot be resolved";
        } else if (e instanceof TimeoutException || hasCause(e, HttpTimeoutException.class)
                || hasCause(e, SocketTimeoutException.class)) {
            kind = "timed out";
        } else if (hasCauseNamed(e, "com.fasterxml.jackson.")) {
            kind = "malformed response";
        } else if (e instanceof HttpException http) {
            kind = "HTTP " + http.statusCode();
        } else if (hasCause(e, IOException.class)) {
            kind = "connection failed";
        } else {
            kind = "call failed";
        }
        return kind + " (" + e.getClass().getSimpleName() + "): " + shorten(String.valueOf(e.getMessage()));
    }

    /**
     * Whether the backend refused the request before processing it, so it cannot have been billed:
     * rate limited, authentication failed, invalid request, unknown model, unresolvable host, or a
     * refused connection. Timeouts, resets and malformed answers are not: the provider may have
     * processed and billed them.
     */
    public static boolean rejected(Throwable e) {
        return e instanceof RateLimitException || e instanceof ModelNotFoundException
                || e instanceof AuthenticationException || e instanceof InvalidRequestException
                || e instanceof UnresolvedModelServerException || hasCause(e, ConnectException.class);
    }

    /**
     * Why the call failed, for the executor's retry policy: 429 is {@link FailureKind#RATE_LIMITED}, 5xx
     * {@link FailureKind#SERVER_ERROR}, 408 and client timeouts {@link FailureKind#TIMEOUT}, LangChain4j's
     * {@code NonRetriableException} family (invalid request, authentication, unknown model, unresolvable
     * host, shepherd's {@code InvalidChatRequestException}) and other 4xx {@link FailureKind#REQUEST_ERROR},
     * an unreadable response {@link FailureKind#MALFORMED_RESPONSE}, a refused or reset connection
     * {@link FailureKind#NETWORK}.
     */
    public static FailureKind kind(Throwable e) {
        if (e instanceof RateLimitException) {
            return FailureKind.RATE_LIMITED;
        }
        if (e instanceof InternalServerException) {
            return FailureKind.SERVER_ERROR;
        }
        if (e instanceof TimeoutException || hasCause(e, HttpTimeoutException.class)
                || hasCause(e, SocketTimeoutException.class)) {
            return FailureKind.TIMEOUT;
        }
        if (e instanceof NonRetriableException) {
            return FailureKind.REQUEST_ERROR;
        }
        HttpException http = cause(e, HttpException.class);
        if (http != null) {
            int status = http.statusCode();
            if (status == 429) {
                return FailureKind.RATE_LIMITED;
            }
            if (status == 408) {
                return FailureKind.TIMEOUT;
            }
            if (status >= 500) {
                return FailureKind.SERVER_ERROR;
            }
            if (status >= 400) {
                return FailureKind.REQUEST_ERROR;
            }
        }
        if (hasCauseNamed(e, "com.fasterxml.jackson.")) {
            return FailureKind.MALFORMED_RESPONSE;
        }
        return FailureKind.of(e);
    }

    /**
     * The executor's exception for a failed call of the named model: described, classified, marked
     * rejected when the backend cannot have billed it, with the backend's {@code Retry-After} if known.
     *
     * @param cause      the client's exception, or {@code null} for an unusable response
     * @param retryAfter the {@code Retry-After} of the failed response, or {@code null}
     */
    public static ModelCallException failure(ModelRole role, String model, String detail, Throwable cause,
                                             Duration retryAfter) {
        return failure(role, model, detail, cause, retryAfter, false);
    }

    /**
     * As {@link #failure(ModelRole, String, String, Throwable, Duration)}, for a streamed call: {@code outputSent}
     * when part of its text already reached the caller, which the retry policy then never retries.
     */
    public static ModelCallException failure(ModelRole role, String model, String detail, Throwable cause,
                                             Duration retryAfter, boolean outputSent) {
        FailureKind kind = cause == null ? FailureKind.OTHER : kind(cause);
        return new ModelCallException(role, model, detail, cause, cause != null && rejected(cause), kind, retryAfter,
                outputSent);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCauseNamed(Throwable e, String packagePrefix) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith(packagePrefix)) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
