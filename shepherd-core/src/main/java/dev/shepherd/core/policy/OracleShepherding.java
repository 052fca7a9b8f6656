package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import java.util.Map;
import java.util.Objects;

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

    private OracleShepherding(Map<String, Integer> minimumHintTokens) {
        this.minimumHintTokens = minimumHintTokens;
    }

    /**
     * An oracle over labels {@code query id → n*} (the {@code n_star} field of the label JSONL).
     *
     * @throws IllegalArgumentException when a label is null or negative, naming the query id
     */
    public static OracleShepherding of(Map<String, Integer> minimumHintTokens) {
        Objects.requireNonNull(minimumHintTokens, "minimumHintTokens");
        minimumHintTokens.forEach((id, n) -> {
            Objects.requireNonNull(id, "query id");
            if (n == null || n < 0) {
                throw new IllegalArgumentException("n* of query '" + id + "' must be >= 0 but was " + n);
            }
        });
        return new OracleShepherding(Map.copyOf(minimumHintTokens));
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
        return context.execute(query, n == 0 ? Decision.slmOnly() : Decision.hint(n));
    }
}
