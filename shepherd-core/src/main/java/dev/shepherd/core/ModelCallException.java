package dev.shepherd.core;

import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown when a call to the small or the large model fails: the endpoint is down, returned an
 * error, timed out, or answered with something that is not a usable completion. The message
 * names the model; {@link #role()} and {@link #model()} say which one failed.
 *
 * <p>{@link #rejected()} tells the spend cap whether the backend can have billed the call: a
 * request refused before processing (rate limit, authentication, invalid request, unknown model,
 * connection refused, never sent) cost nothing; any other failure — a timeout, a connection reset
 * after sending, a malformed answer — may have been processed and billed, so the cap keeps its
 * worst-case reservation for it.
 *
 * <p>{@link #kind()} classifies the failure (rate limited, server error, network, timeout, malformed
 * response, request error) so that a {@link dev.shepherd.core.run.RetryPolicy} can tell which
 * failures are worth another attempt; {@link #retryAfter()} carries the backend's {@code Retry-After}
 * when the adapter could read it. {@link #outputSent()} says that part of the call's output already reached
 * the caller (a stream that broke off): such a failure is never retried, whatever its kind, since a new
 * attempt would send that text again.
 */
public class ModelCallException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final ModelRole role;
    private final String model;
    private final boolean rejected;
    private final FailureKind kind;
    private final Duration retryAfter;
    private final boolean outputSent;

    /**
     * A classified failure of the named model, with its cause.
     *
     * @param rejected   whether the backend refused the request unprocessed, so nothing was billed
     * @param kind       why it failed
     * @param retryAfter how long the backend asked the caller to wait ({@code Retry-After}), or {@code null}
     */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause, boolean rejected,
                              FailureKind kind, Duration retryAfter) {
        this(role, model, message, cause, rejected, kind, retryAfter, false);
    }

    /**
     * A classified failure of the named model, with its cause, that may have happened after part of the call's
     * output was already delivered to the caller.
     *
     * @param rejected   whether the backend refused the request unprocessed, so nothing was billed
     * @param kind       why it failed
     * @param retryAfter how long the backend asked the caller to wait ({@code Retry-After}), or {@code null}
     * @param outputSent whether part of the call's output already reached the caller (a stream that broke off
     *                   mid-way), so that the call must not be retried from scratch
     */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause, boolean rejected,
                              FailureKind kind, Duration retryAfter, boolean outputSent) {
        super(role.label() + " model '" + model + "' failed: " + message, cause);
        this.role = Objects.requireNonNull(role, "role");
        this.model = Objects.requireNonNull(model, "model");
        this.rejected = rejected;
        this.kind = Objects.requireNonNull(kind, "kind");
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be >= 0 but was " + retryAfter);
        }
        this.retryAfter = retryAfter;
        this.outputSent = outputSent;
    }

    /**
     * A failure of the named model, with its cause, classified by {@link FailureKind#of(Throwable)}.
     *
     * @param rejected whether the backend refused the request unprocessed, so nothing was billed
     */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause, boolean rejected) {
        this(role, model, message, cause, rejected, FailureKind.of(cause), null);
    }

    /** A failure of the named model, with its cause, that may have been billed. */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause) {
        this(role, model, message, cause, false);
    }

    /** A failure of the named model. */
    public ModelCallException(ModelRole role, String model, String message) {
        this(role, model, message, null);
    }

    /** Why the call failed; {@link FailureKind#OTHER} when nothing classified it. */
    public FailureKind kind() {
        return kind;
    }

    /** How long the backend asked the caller to wait before trying again, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether part of the call's output already reached the caller before it failed (a stream that broke off
     * after its first tokens). A {@link dev.shepherd.core.run.RetryPolicy} never retries such a failure: the
     * caller would see that text twice. {@link #kind()} still says why the call failed.
     */
    public boolean outputSent() {
        return outputSent;
    }

    /** Whether the backend refused the request before processing it, so it cannot have been billed. */
    public boolean rejected() {
        return rejected;
    }

    /** Which side failed. */
    public ModelRole role() {
        return role;
    }

    /** The failing model's name, as its {@link Generator#name()} reports it. */
    public String model() {
        return model;
    }
}
