package dev.shepherd.core.hint;

import dev.shepherd.core.ShepherdException;

/**
 * Thrown when the predictor needs token entropy ({@link SampleFeatures.EntropySource#TOKEN}) but
 * the small model returned no log-probabilities, so the feature cannot be computed the way the
 * predictor was trained.
 */
public class MissingTokenEntropyException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public MissingTokenEntropyException(String message) {
        super(message);
    }
}
