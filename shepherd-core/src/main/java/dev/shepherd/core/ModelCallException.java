package dev.shepherd.core;

import dev.shepherd.core.model.ModelRole;
import java.util.Objects;

/**
 * Thrown when a call to the small or the large model fails: the endpoint is down, returned an
 * error, timed out, or answered with something that is not a usable completion. The message
 * names the model; {@link #role()} and {@link #model()} say which one failed.
 */
public class ModelCallException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final ModelRole role;
    private final String model;

    /** A failure of the named model, with its cause. */
    public ModelCallException(ModelRole role, String model, String message, Throwable cause) {
        super(role.label() + " model '" + model + "' failed: " + message, cause);
        this.role = Objects.requireNonNull(role, "role");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** A failure of the named model. */
    public ModelCallException(ModelRole role, String model, String message) {
        this(role, model, message, null);
    }

    /** Which side failed. */
    public ModelRole role() {
        return role;
    }

    /** The failing model's name, as its {@link dev.shepherd.core.model.Generator#name()} reports it. */
    public String model() {
        return model;
    }
}
