package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The routing/cascading upper bound (SHEPHERDING.md §2): knows from labels whether the small
 * model alone is good enough for each query (I_s(q) = 1) and answers with it; otherwise buys the
 * large model's full answer. Usable only on labeled evaluation sets.
 *
 * <p>Immutable and thread-safe.
 */
public final class OracleRouting implements ShepherdingPolicy {

    private final Map<String, Boolean> smallGoodEnough;

    private OracleRouting(Map<String, Boolean> smallGoodEnough) {
        this.smallGoodEnough = smallGoodEnough;
    }

    /**
     * An oracle over labels {@code query id → whether the small model alone is good enough}.
     *
     * @throws IllegalArgumentException when a label is null, naming the query id
     */
    public static OracleRouting of(Map<String, Boolean> smallGoodEnough) {
        Objects.requireNonNull(smallGoodEnough, "smallGoodEnough");
        smallGoodEnough.forEach((id, ok) -> {
            Objects.requireNonNull(id, "query id");
            if (ok == null) {
                throw new IllegalArgumentException("label of query '" + id + "' must not be null");
            }
        });
        return new OracleRouting(Map.copyOf(smallGoodEnough));
    }

    /**
     * An oracle from minimum-hint labels {@code query id → n*}: the small model is good enough
     * exactly when n* = 0.
     *
     * @throws IllegalArgumentException when a label is null or negative, naming the query id
     */
    public static OracleRouting fromMinimumHintTokens(Map<String, Integer> minimumHintTokens) {
        Objects.requireNonNull(minimumHintTokens, "minimumHintTokens");
        Map<String, Boolean> labels = new HashMap<>();
        minimumHintTokens.forEach((id, n) -> {
            Objects.requireNonNull(id, "query id");
            if (n == null || n < 0) {
                throw new IllegalArgumentException("n* of query '" + id + "' must be >= 0 but was " + n);
            }
            labels.put(id, n == 0);
        });
        return new OracleRouting(Map.copyOf(labels));
    }

    @Override
    public String name() {
        return "oracle-routing";
    }

    /** How many queries are labeled. */
    public int size() {
        return smallGoodEnough.size();
    }

    /** @throws IllegalArgumentException when the query has no label */
    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        Boolean ok = smallGoodEnough.get(query.id());
        if (ok == null) {
            throw new IllegalArgumentException("oracle-routing has no label for query '" + query.id() + "'");
        }
        return context.execute(query, ok ? Decision.smallOnly() : Decision.largeFull());
    }
}
