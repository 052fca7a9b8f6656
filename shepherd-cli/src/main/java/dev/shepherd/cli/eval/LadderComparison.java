package dev.shepherd.cli.eval;

import java.util.List;
import java.util.Objects;

/**
 * A replay of three or more models set against its best two-model pair: the ladder's cascades, N-way router and
 * oracle beside the same strategies restricted to the best pair of models, on the same queries and scored against the
 * same floor and reference (the cheapest and the most expensive model of the whole ladder), so every column compares
 * across rows. Every pair's strategies are kept too ({@link #pairs}), so the choice can be checked.
 *
 * <p>Immutable and thread-safe.
 *
 * @param criterion how the best pair was chosen, in words, for the report
 * @param cheaper the best pair's cheaper model
 * @param dearer the best pair's dearer model
 * @param rows the compared strategies: the ladder's first, then the best pair's
 * @param pairs every pair of models (cheaper first, in ladder order) with what the trace allows of its strategies
 * @param notComputable what the best pair's data does not allow (a cascade without samples or confidences, the
 *                      router without {@code --predictor})
 */
public record LadderComparison(String criterion, String cheaper, String dearer, List<Row> rows, List<Pair> pairs,
                               List<NotComputable> notComputable) {

    /** The {@link Row#side} of the ladder's strategies. */
    public static final String LADDER = "ladder";
    /** The {@link Row#side} of the best pair's strategies. */
    public static final String BEST_PAIR = "best pair";

    /** Validates and copies. */
    public LadderComparison {
        Objects.requireNonNull(criterion, "criterion");
        Objects.requireNonNull(cheaper, "cheaper");
        Objects.requireNonNull(dearer, "dearer");
        rows = List.copyOf(rows);
        pairs = List.copyOf(pairs);
        notComputable = List.copyOf(notComputable);
    }

    /**
     * One compared strategy.
     *
     * @param side {@link #LADDER} or {@link #BEST_PAIR}
     * @param models the models it uses, for the report ({@code "4 tiers"}, {@code "medium -> large"})
     * @param result its result; calls to the reference count calls to the whole ladder's most expensive model
     */
    public record Row(String side, String models, StrategyResult result) {

        /** Validates. */
        public Row {
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(models, "models");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * One pair of models and its two-model strategies.
     *
     * @param cheaper the cheaper model (lower on the ladder)
     * @param dearer the dearer model
     * @param strategies what the trace allows: the two-rung cascades, the router restricted to the pair (with a
     *                   router), the pair's oracle routing
     * @param notComputable what it does not allow, with reasons
     */
    public record Pair(String cheaper, String dearer, List<StrategyResult> strategies,
                       List<NotComputable> notComputable) {

        /** Validates and copies. */
        public Pair {
            Objects.requireNonNull(cheaper, "cheaper");
            Objects.requireNonNull(dearer, "dearer");
            strategies = List.copyOf(strategies);
            notComputable = List.copyOf(notComputable);
        }

        /** Returns {@code "cheaper -> dearer"}. */
        public String label() {
            return cheaper + " -> " + dearer;
        }
    }
}
