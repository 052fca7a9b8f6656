package dev.shepherd.core;

import java.util.Objects;

/**
 * What a policy decided for one query: answer with the small model alone, buy a hint of
 * {@code hintTokens} tokens from the large model and let the small model finish, or buy the
 * large model's full answer. Immutable.
 *
 * @param kind       which of the three
 * @param hintTokens the hint budget; positive for {@link Kind#HINT}, 0 otherwise
 */
public record Decision(Kind kind, int hintTokens) {

    /** The three outcomes of the paper's policy π(q). */
    public enum Kind {
        /** The small model answers alone. */
        SMALL_ONLY,
        /** A hint of {@code hintTokens} tokens is bought, then the small model answers. */
        HINT,
        /** The large model's full answer is bought. */
        LARGE_FULL
    }

    private static final Decision SMALL_ONLY = new Decision(Kind.SMALL_ONLY, 0);
    private static final Decision LARGE_FULL = new Decision(Kind.LARGE_FULL, 0);

    /** Validates the pairing of kind and hint budget. */
    public Decision {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.HINT && hintTokens <= 0) {
            throw new IllegalArgumentException("hintTokens must be > 0 for a HINT decision but was " + hintTokens);
        }
        if (kind != Kind.HINT && hintTokens != 0) {
            throw new IllegalArgumentException("hintTokens must be 0 for " + kind + " but was " + hintTokens);
        }
    }

    /** The small model answers alone. */
    public static Decision smallOnly() {
        return SMALL_ONLY;
    }

    /** The large model's full answer is bought. */
    public static Decision largeFull() {
        return LARGE_FULL;
    }

    /** A hint of {@code tokens} (&gt; 0) tokens, then the small model. */
    public static Decision hint(int tokens) {
        return new Decision(Kind.HINT, tokens);
    }

    /** Whether this decision pays the large model anything. */
    public boolean usesLarge() {
        return kind != Kind.SMALL_ONLY;
    }

    @Override
    public String toString() {
        return kind == Kind.HINT ? "HINT(" + hintTokens + ")" : kind.name();
    }
}
