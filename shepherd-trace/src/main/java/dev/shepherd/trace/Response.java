package dev.shepherd.trace;

import java.util.List;
import java.util.Objects;

/**
 * One model's recorded answer to one query, with what replay needs to price and judge it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param text the full answer
 * @param outcome how good it was (graded or scored)
 * @param inputTokens prompt tokens, or null when the trace does not say (replay then counts them with a tokenizer
 *                    and says so)
 * @param outputTokens generated tokens, or null when the trace does not say
 * @param confidence a confidence in this answer that is known at serving time, in [0, 1] (the model's stated
 *                   confidence, a verifier's or a scorer's output), or null; a confidence cascade needs it
 * @param samples K further answers to the bare query (for agreement), possibly empty
 * @param hints hint levels (this model's answers given a stronger model's hint), possibly empty
 */
public record Response(String text, Outcome outcome, Long inputTokens, Long outputTokens, Double confidence,
                       List<Sample> samples, List<HintLevel> hints) {

    /** Validates and copies. */
    public Response {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(outcome, "outcome");
        checkTokens("inputTokens", inputTokens);
        checkTokens("outputTokens", outputTokens);
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1] but was " + confidence);
        }
        samples = samples == null ? List.of() : List.copyOf(samples);
        hints = hints == null ? List.of() : List.copyOf(hints);
    }

    /** A graded answer without token counts, confidence, samples or hints. */
    public static Response of(String text, boolean correct) {
        return new Response(text, Outcome.correct(correct), null, null, null, List.of(), List.of());
    }

    /** A scored answer ({@code score} in [0, 1]) without token counts, confidence, samples or hints. */
    public static Response scored(String text, double score) {
        return new Response(text, Outcome.score(score), null, null, null, List.of(), List.of());
    }

    /** Returns 1 or 0 for a graded answer, the score for a scored one. */
    public double quality() {
        return outcome.quality();
    }

    /** Whether both token counts are recorded. */
    public boolean hasTokens() {
        return inputTokens != null && outputTokens != null;
    }

    /** This response with the given token counts. */
    public Response withTokens(long input, long output) {
        return new Response(text, outcome, input, output, confidence, samples, hints);
    }

    /** This response with the given confidence (null to drop it). */
    public Response withConfidence(Double value) {
        return new Response(text, outcome, inputTokens, outputTokens, value, samples, hints);
    }

    /** This response with the given samples. */
    public Response withSamples(List<Sample> list) {
        return new Response(text, outcome, inputTokens, outputTokens, confidence, list, hints);
    }

    /** This response with the given hint levels. */
    public Response withHints(List<HintLevel> list) {
        return new Response(text, outcome, inputTokens, outputTokens, confidence, samples, list);
    }

    static void checkTokens(String name, Long v) {
        if (v != null && v < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + v);
        }
    }
}
