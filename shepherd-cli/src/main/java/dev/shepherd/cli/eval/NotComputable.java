package dev.shepherd.cli.eval;

import java.util.Objects;

/**
 * A strategy that cannot be evaluated on the data at hand, with the reason (never simulated silently).
 *
 * @param name strategy name
 * @param reason what data is missing
 */
public record NotComputable(String name, String reason) {

    /** Validates. */
    public NotComputable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }
}
