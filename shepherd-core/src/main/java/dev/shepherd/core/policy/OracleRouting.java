package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The routing/cascading upper bound (docs/method.md#cost-model): knows from labels whether the small
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

    /** A builder; the labels are required, from exactly one of its two setters. */
    public static Builder builder() {
        return new Builder();
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

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private Map<String, Boolean> smallGoodEnough;

        private Builder() {
        }

        /**
         * The labels {@code query id → whether the small model alone is good enough}.
         *
         * @throws IllegalArgumentException when a label is null, naming the query id
         * @throws IllegalStateException when the labels were already set
         */
        public Builder smallGoodEnough(Map<String, Boolean> smallGoodEnough) {
            Objects.requireNonNull(smallGoodEnough, "smallGoodEnough");
            smallGoodEnough.forEach((id, ok) -> {
                Objects.requireNonNull(id, "query id");
                if (ok == null) {
                    throw new IllegalArgumentException("label of query '" + id + "' must not be null");
                }
            });
            return labels(Map.copyOf(smallGoodEnough));
        }

        /**
         * The labels from minimum hint sizes {@code query id → n*}: the small model is good enough exactly
         * when n* = 0.
         *
         * @throws IllegalArgumentException when a label is null or negative, naming the query id
         * @throws IllegalStateException when the labels were already set
         */
        public Builder minimumHintTokens(Map<String, Integer> minimumHintTokens) {
            Map<String, Boolean> labels = new HashMap<>();
            OracleShepherding.checkedMinimumHintTokens(minimumHintTokens).forEach((id, n) -> labels.put(id, n == 0));
            return labels(Map.copyOf(labels));
        }

        private Builder labels(Map<String, Boolean> labels) {
            if (smallGoodEnough != null) {
                throw new IllegalStateException("labels are already set: call smallGoodEnough(...) or "
                        + "minimumHintTokens(...), once");
            }
            this.smallGoodEnough = labels;
            return this;
        }

        /** @throws IllegalStateException when no labels were set */
        public OracleRouting build() {
            if (smallGoodEnough == null) {
                throw new IllegalStateException(
                        "labels are required: call smallGoodEnough(...) or minimumHintTokens(...)");
            }
            return new OracleRouting(smallGoodEnough);
        }
    }
}
