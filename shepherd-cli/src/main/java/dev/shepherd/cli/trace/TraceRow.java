package dev.shepherd.cli.trace;

import java.util.Objects;

/**
 * One query of a recorded two-model trace.
 *
 * @param prompt the query text
 * @param smallCorrect whether the weak model (the SLM) answered correctly
 * @param largeCorrect whether the strong model (the LLM) answered correctly
 * @param smallResponse the weak model's full response
 * @param largeResponse the strong model's full response
 * @param line the 1-based line the row starts on in its file
 */
public record TraceRow(String prompt, boolean smallCorrect, boolean largeCorrect, String smallResponse,
                       String largeResponse, long line) {

    /** Validates the row. */
    public TraceRow {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(smallResponse, "smallResponse");
        Objects.requireNonNull(largeResponse, "largeResponse");
    }
}
