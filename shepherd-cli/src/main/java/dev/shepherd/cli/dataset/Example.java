package dev.shepherd.cli.dataset;

import dev.shepherd.core.Query;

import java.util.Objects;

/**
 * One dataset item: the query (with its gold answer), how answers are judged, and for code tasks the test
 * program to run against a candidate solution.
 *
 * @param query the query; its {@code gold} is the reference answer (the final number for math, the reference
 *              solution for code)
 * @param kind how answers are judged
 * @param testProgram for {@link TaskKind#CODE}: Python appended after the candidate program that exits non-zero
 *                    when a test fails; {@code null} otherwise
 * @param source where the item came from ({@code FILE:LINE}), for error messages
 */
public record Example(Query query, TaskKind kind, String testProgram, String source) {

    /** Validates the item. */
    public Example {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        if (kind == TaskKind.CODE && (testProgram == null || testProgram.isBlank())) {
            throw new IllegalArgumentException("testProgram is required for a code example (" + source + ")");
        }
    }

    /** Returns the query id. */
    public String id() {
        return query.id();
    }
}
