package dev.shepherd.jdbc;

/**
 * What a {@link JdbcSpendCapStore} does when the database cannot be reached to reserve a large-model call.
 * Neither lets the call through uncapped.
 */
public enum OutagePolicy {
    /**
     * Refuse the large-model call as if the cap were reached (a
     * {@link dev.shepherd.core.SpendLimitExceededException}): the small model answers and the result is flagged
     * {@code spend-cap} (unless the executor runs in {@link dev.shepherd.core.run.FailureMode#STRICT}). The default:
     * the service keeps answering, at no large-model cost, while the database is down.
     */
    FALLBACK_TO_SMALL,
    /** Fail the request with a {@link StoreUnavailableException}: no answer without the shared budget. */
    FAIL_CLOSED
}
