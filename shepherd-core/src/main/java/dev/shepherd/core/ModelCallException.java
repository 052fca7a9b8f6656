package dev.shepherd.core;

import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import java.util.Objects;

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
 */
public class ModelCallException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final ModelRole role;
    private final String model;
    private final boolean rejected;

    /**
     * A failure of the named model, with its cause.
     *
     * @param rejected whether the backend refused the request unprocessed, so nothing was billed
     */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause, boolean rejected) {
        super(role.label() + " model '" + model + "' failed: " + message, cause);
        this.role = Objects.requireNonNull(role, "role");
        this.model = Objects.requireNonNull(model, "model");
        this.rejected = rejected;
    }

    /** A failure of the named model, with its cause, that may have been billed. */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause) {
        this(role, model, message, cause, false);
    }

    /** A failure of the named model. */
    public ModelCallException(ModelRole role, String model, String message) {
        this(role, model, message, null);
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
