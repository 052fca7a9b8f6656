package dev.shepherd.core.model;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a model returned for one call. Immutable.
 *
 * @param text           the generated text (without any assistant prefix that was supplied)
 * @param inputTokens    prompt tokens the backend counted (billed as input)
 * @param outputTokens   generated tokens (billed as output)
 * @param finishReason   why generation stopped
 * @param tokenEntropies per-token entropy in nats, one per output token, when the backend returned
 *                       log-probabilities; empty otherwise
 */
public record Completion(String text, int inputTokens, int outputTokens, FinishReason finishReason,
                         List<Double> tokenEntropies) {

    /** Validates token counts and entropies; copies the entropies. */
    public Completion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        if (inputTokens < 0) {
            throw new IllegalArgumentException("inputTokens must be >= 0 but was " + inputTokens);
        }
        if (outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens must be >= 0 but was " + outputTokens);
        }
        tokenEntropies = tokenEntropies == null ? List.of() : List.copyOf(tokenEntropies);
        for (Double e : tokenEntropies) {
            if (e == null || !(e >= 0) || e.isInfinite()) {
                throw new IllegalArgumentException("tokenEntropies must be finite and >= 0 but contained " + e);
            }
        }
    }

    /** A completion without entropy information. */
    public static Completion of(String text, int inputTokens, int outputTokens, FinishReason finishReason) {
        return new Completion(text, inputTokens, outputTokens, finishReason, List.of());
    }

    /** Mean per-token entropy, empty when the backend returned no log-probabilities. */
    public OptionalDouble meanEntropy() {
        return tokenEntropies.stream().mapToDouble(Double::doubleValue).average();
    }
}
