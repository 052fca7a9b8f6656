package dev.shepherd.cli.trace;

import java.util.Objects;

/**
 * One query of a recorded two-model trace.
 *
 * @param prompt the query text
 * @param slmCorrect whether the weak model (the SLM) answered correctly
 * @param llmCorrect whether the strong model (the LLM) answered correctly
 * @param slmResponse the weak model's full response
 * @param llmResponse the strong model's full response
 * @param line the 1-based line the row starts on in its file
 */
public record TraceRow(String prompt, boolean slmCorrect, boolean llmCorrect, String slmResponse,
                       String llmResponse, long line) {

    /** Validates the row. */
    public TraceRow {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(slmResponse, "slmResponse");
        Objects.requireNonNull(llmResponse, "llmResponse");
    }
}
