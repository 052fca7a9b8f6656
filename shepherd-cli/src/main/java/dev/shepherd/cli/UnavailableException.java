package dev.shepherd.cli;

import dev.shepherd.core.ShepherdException;

/**
 * A feature that is not available in this build (for example a module that was not built with it). The command
 * line maps it to exit code {@value ShepherdCli#EXIT_UNAVAILABLE}; nothing is faked in its place.
 *
 * <p>Immutable and thread-safe.
 */
public class UnavailableException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param feature what was asked for
     * @param why why it is not available and what to do
     */
    public UnavailableException(String feature, String why) {
        super(feature + " is not available in this build: " + why);
    }
}
