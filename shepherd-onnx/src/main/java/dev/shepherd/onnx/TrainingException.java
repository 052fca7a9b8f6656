package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;

/**
 * Thrown when a predictor cannot be trained from the given examples: an empty set, a set with a
 * single class (every query needs a hint, or none does), or a non-finite feature value. The message
 * names the example and field at fault. Fix the labels; retrying does not help.
 */
public class TrainingException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** A training failure described by {@code message}. */
    public TrainingException(String message) {
        super(message);
    }
}
