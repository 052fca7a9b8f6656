package dev.shepherd.cli.trace;

import java.util.List;
import java.util.Objects;

/**
 * A recorded RouteLLM response trace: per query, both models' full responses and correctness.
 *
 * @param source the file or URL it was read from
 * @param smallModel the weak model's name (treated as the SLM)
 * @param largeModel the strong model's name (treated as the LLM)
 * @param rows the queries, in file order
 */
public record RouteLlmTrace(String source, String smallModel, String largeModel, List<TraceRow> rows) {

    /** Validates and copies. */
    public RouteLlmTrace {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(smallModel, "smallModel");
        Objects.requireNonNull(largeModel, "largeModel");
        rows = List.copyOf(rows);
    }

    /** Returns the number of queries. */
    public int size() {
        return rows.size();
    }
}
