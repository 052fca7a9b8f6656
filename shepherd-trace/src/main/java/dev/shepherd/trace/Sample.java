package dev.shepherd.trace;

import java.util.Objects;

/**
 * One of K extra answers a model gave to the bare query (sampled at a temperature above 0), as an agreement
 * cascade draws them at serving time.
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the generated text
 * @param answer the final answer extracted from it (what agreement compares), or null when none was found
 * @param outcome how good it was
 * @param inputTokens prompt tokens, or null when not recorded
 * @param outputTokens generated tokens, or null when not recorded
 */
public record Sample(String text, String answer, Outcome outcome, Long inputTokens, Long outputTokens) {

    /** Validates. */
    public Sample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(outcome, "outcome");
        Response.checkTokens("inputTokens", inputTokens);
        Response.checkTokens("outputTokens", outputTokens);
    }

    /** Whether both token counts are recorded. */
    public boolean hasTokens() {
        return inputTokens != null && outputTokens != null;
    }

    /** This sample with the missing token counts filled in. */
    Sample withTokens(long input, long output) {
        return new Sample(text, answer, outcome, inputTokens != null ? inputTokens : input,
                outputTokens != null ? outputTokens : output);
    }
}
