package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The shepherding upper bound (SHEPHERDING.md §2/§3): knows each query's minimum hint size n*(q)
 * from labels and buys exactly that: n* = 0 → the small model alone, n* &gt; 0 → a hint of n*
 * tokens (a hint that covers the whole large-model answer is that answer). Usable only on
 * labeled evaluation sets.
 *
 * <p>Immutable and thread-safe.
 */
public final class OracleShepherding implements ShepherdingPolicy {

    private final Map<String, Integer> minimumHintTokens;
    private final Set<String> fullAnswer;

    private OracleShepherding(Map<String, Integer> minimumHintTokens, Set<String> fullAnswer) {
        this.minimumHintTokens = minimumHintTokens;
        this.fullAnswer = fullAnswer;
    }

    /**
     * An oracle over labels {@code query id → n*} (the {@code n_star} field of the label JSONL).
     *
     * @throws IllegalArgumentException when a label is null or negative, naming the query id
     */
    public static OracleShepherding of(Map<String, Integer> minimumHintTokens) {
        return of(minimumHintTokens, Set.of());
    }

    /**
     * An oracle over labels where, for the queries in {@code noHintPasses} (label level 100 %: no hint level
     * passed, {@code n*} is the whole answer), the large model's full answer is bought outright. A hint capped at
     * the full answer's length is not enough there: OpenAI-compatible servers report {@code length} when the output
     * reaches {@code max_tokens} exactly, so it would not be recognised as complete.
     *
     * @throws IllegalArgumentException when a label is null or negative, naming the query id
     */
    public static OracleShepherding of(Map<String, Integer> minimumHintTokens, Set<String> noHintPasses) {
        Objects.requireNonNull(minimumHintTokens, "minimumHintTokens");
        Objects.requireNonNull(noHintPasses, "noHintPasses");
        minimumHintTokens.forEach((id, n) -> {
            Objects.requireNonNull(id, "query id");
            if (n == null || n < 0) {
                throw new IllegalArgumentException("n* of query '" + id + "' must be >= 0 but was " + n);
            }
        });
        return new OracleShepherding(Map.copyOf(minimumHintTokens), Set.copyOf(noHintPasses));
    }

    @Override
    public String name() {
        return "oracle-shepherding";
    }

    /** How many queries are labeled. */
    public int size() {
        return minimumHintTokens.size();
    }

    /** @throws IllegalArgumentException when the query has no label */
    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        Integer n = minimumHintTokens.get(query.id());
        if (n == null) {
            throw new IllegalArgumentException("oracle-shepherding has no n* label for query '" + query.id() + "'");
        }
        if (fullAnswer.contains(query.id())) {
            return context.execute(query, Decision.largeFull());
        }
        return context.execute(query, n == 0 ? Decision.smallOnly() : Decision.hint(n));
    }
}
