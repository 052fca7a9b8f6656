package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The shepherding upper bound (docs/method.md#cost-model): knows each query's minimum hint size n*(q)
 * from labels and buys exactly that: n* = 0 → the small model alone, n* &gt; 0 → a hint of n*
 * tokens (a hint that covers the whole large-model answer is that answer). Usable only on
 * labeled evaluation sets.
 *
 * <p>Immutable and thread-safe.
 */
public final class OracleShepherding implements ShepherdingPolicy {

    private final Map<String, Integer> minimumHintTokens;
    private final Set<String> fullAnswer;

    private OracleShepherding(Builder b) {
        this.minimumHintTokens = b.minimumHintTokens;
        this.fullAnswer = b.noHintPasses;
    }

    /** A builder; the labels are required. */
    public static Builder builder() {
        return new Builder();
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

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private Map<String, Integer> minimumHintTokens;
        private Set<String> noHintPasses = Set.of();

        private Builder() {
        }

        /**
         * The labels {@code query id → n*} (the {@code n_star} field of the label JSONL). Required.
         *
         * @throws IllegalArgumentException when a label is null or negative, naming the query id
         */
        public Builder minimumHintTokens(Map<String, Integer> minimumHintTokens) {
            this.minimumHintTokens = checkedMinimumHintTokens(minimumHintTokens);
            return this;
        }

        /**
         * The queries for which no hint level passed (label level 100 %: {@code n*} is the whole answer); for
         * them the large model's full answer is bought outright. A hint capped at the full answer's length is
         * not enough there: OpenAI-compatible servers report {@code length} when the output reaches
         * {@code max_tokens} exactly, so it would not be recognised as complete. None by default.
         */
        public Builder noHintPasses(Set<String> noHintPasses) {
            this.noHintPasses = Set.copyOf(Objects.requireNonNull(noHintPasses, "noHintPasses"));
            return this;
        }

        /** @throws IllegalStateException when no labels were set */
        public OracleShepherding build() {
            if (minimumHintTokens == null) {
                throw new IllegalStateException("labels are required: call minimumHintTokens(...)");
            }
            return new OracleShepherding(this);
        }
    }

    /** An immutable copy of n* labels, each checked. */
    static Map<String, Integer> checkedMinimumHintTokens(Map<String, Integer> minimumHintTokens) {
        Objects.requireNonNull(minimumHintTokens, "minimumHintTokens");
        minimumHintTokens.forEach((id, n) -> {
            Objects.requireNonNull(id, "query id");
            if (n == null || n < 0) {
                throw new IllegalArgumentException("n* of query '" + id + "' must be >= 0 but was " + n);
            }
        });
        return Map.copyOf(minimumHintTokens);
    }
}
