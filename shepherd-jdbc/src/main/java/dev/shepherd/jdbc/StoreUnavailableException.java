package dev.shepherd.jdbc;

import dev.shepherd.core.ShepherdException;

/**
 * The database could not be read or written: a ledger entry could not be stored after its retries, or a spend
 * cap configured {@link OutagePolicy#FAIL_CLOSED} could not reserve. The request fails; nothing was written
 * (or, when the database went away during a commit, the whole entry was: a retry of the same entry is safe).
 * What to do: check the database; the message names the store and the JDBC error.
 */
public class StoreUnavailableException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /** An exception naming the store and the cause. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
