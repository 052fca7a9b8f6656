package dev.shepherd.langchain4j.internal;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;

/** Turns LangChain4j client exceptions into short, actionable descriptions. Thread-safe (stateless). */
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
