package dev.shepherd.core;

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
        SLM_ONLY,
        /** A hint of {@code hintTokens} tokens is bought, then the small model answers. */
        HINT,
        /** The large model's full answer is bought. */
        LLM_FULL
    }

    private static final Decision SLM_ONLY = new Decision(Kind.SLM_ONLY, 0);
    private static final Decision LLM_FULL = new Decision(Kind.LLM_FULL, 0);

    /** Validates the pairing of kind and hint budget. */
    public Decision {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind == Kind.HINT && hintTokens <= 0) {
            throw new IllegalArgumentException("hintTokens must be > 0 for a HINT decision but was " + hintTokens);
        }
        if (kind != Kind.HINT && hintTokens != 0) {
            throw new IllegalArgumentException("hintTokens must be 0 for " + kind + " but was " + hintTokens);
        }
    }

    /** The small model answers alone. */
    public static Decision slmOnly() {
        return SLM_ONLY;
    }

    /** The large model's full answer is bought. */
    public static Decision llmFull() {
        return LLM_FULL;
    }

    /** A hint of {@code tokens} (&gt; 0) tokens, then the small model. */
    public static Decision hint(int tokens) {
        return new Decision(Kind.HINT, tokens);
    }

    /** Whether this decision pays the large model anything. */
    public boolean usesLarge() {
        return kind != Kind.SLM_ONLY;
    }

    @Override
    public String toString() {
        return kind == Kind.HINT ? "HINT(" + hintTokens + ")" : kind.name();
    }
}
