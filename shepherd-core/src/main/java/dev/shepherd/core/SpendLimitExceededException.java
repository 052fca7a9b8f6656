package dev.shepherd.core;

/**
 * Thrown inside a request when a large-model call would take the spend cap's rolling window over
 * its limit. No call is made. {@link dev.shepherd.core.run.Shepherd} turns it into a small-model answer flagged
 * {@link dev.shepherd.core.run.ShepherdResult#NOTE_SPEND_CAP} unless strict mode is on.
 */
public class SpendLimitExceededException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** An exception stating the limit, the window and what was spent. */
    public SpendLimitExceededException(String message) {
        super(message);
    }
}
