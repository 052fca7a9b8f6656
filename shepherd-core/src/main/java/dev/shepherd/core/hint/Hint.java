package dev.shepherd.core.hint;

import dev.shepherd.core.model.Completion;
import java.util.Objects;

/**
 * A prefix of the large model's answer, bought with {@code max_tokens = n}. Immutable.
 *
 * @param text   the prefix text (untrusted model output)
 * @param tokens how many output tokens it holds (what was paid for)
 * @param source the large-model completion it came from, or {@code null} when it cost nothing
 *               (cut from a recorded answer during replay)
 */
public record Hint(String text, int tokens, Completion source) {

    /** Rejects a null text or negative tokens. */
    public Hint {
        Objects.requireNonNull(text, "text");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0 but was " + tokens);
        }
    }
}
