package dev.shepherd.core.run;

import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;


/** What {@link Shepherd} does when the large model fails or the spend cap refuses a call. */
public enum FailureMode {
    /**
     * Answer with the small model alone and flag the result ({@link ShepherdResult#degraded()}).
     * The default: the caller gets an answer whenever the small model works.
     */
    FALLBACK_TO_SMALL,
    /** Throw the {@link ModelCallException} or {@link SpendLimitExceededException}. */
    STRICT
}
