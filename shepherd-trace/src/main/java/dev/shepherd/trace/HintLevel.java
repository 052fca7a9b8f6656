package dev.shepherd.trace;

import java.util.Objects;

/**
 * One hint level of LLM shepherding: a stronger model's answer cut after {@code hintTokens} tokens, and the answer
 * of the model that holds this level when given that prefix (a {@code shepherd label} record's
 * {@code levels[p > 0]}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param percent p, the share of the hinting model's full answer in percent (0..100)
 * @param hintTokens the hint's length in tokens
 * @param hintText the hint
 * @param hintInputTokens prompt tokens of the call that produced the hint (0 when not recorded)
 * @param from the model that wrote the hint, or null when not recorded
 * @param response the answer given the hint
 */
public record HintLevel(int percent, int hintTokens, String hintText, long hintInputTokens, String from,
                        Response response) {

    /** Validates. */
    public HintLevel {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in [0, 100] but was " + percent);
        }
        if (hintTokens < 0 || hintInputTokens < 0) {
            throw new IllegalArgumentException("hintTokens and hintInputTokens must be >= 0 but were " + hintTokens
                    + " and " + hintInputTokens);
        }
        Objects.requireNonNull(hintText, "hintText");
        Objects.requireNonNull(response, "response");
    }
}
