package dev.shepherd.core.run;

import dev.shepherd.core.ModelCallException;

/**
 * What {@link Shepherd} does when a small-model call fails for good (after any retries, and after the
 * failed samples among K were dropped, when none survived).
 */
public enum SmallFailureMode {
    /**
     * The request fails with the small model's {@link ModelCallException}. The default: a broken local
     * model should be loud, not silently turn all traffic into paid large-model calls.
     */
    FAIL,
    /**
     * The large model answers the query in full instead ({@code LARGE_FULL}, noted
     * {@link ShepherdResult#NOTE_SMALL_UNAVAILABLE}), reserved against the spend cap like any large call.
     * When that call fails or the cap refuses it, the {@link FailureMode} decides as for any large-model
     * failure: a small-model answer the request already has (a sample) is returned, flagged; without one,
     * or in {@link FailureMode#STRICT}, the small model's failure propagates, the large one's suppressed in it.
     */
    FALLBACK_TO_LARGE
}
