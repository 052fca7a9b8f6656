package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.CostModel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an evaluation: per-strategy results, the strategies that could not be computed, and what the
 * numbers rest on (tokenizer, prices, models).
 *
 * <p>The floor and the reference strategies anchor every derived metric (docs/metrics.md): with two models
 * {@code slm-only} and {@code llm-only}; with N models replayed from a trace, the cheapest and the most expensive
 * model alone ({@code only:MODEL}).
 *
 * @param dataset the dataset or trace name
 * @param queries number of queries evaluated
 * @param tokenizer how tokens were counted ({@code cl100k_base}, or {@code model-reported} live)
 * @param smallModel the small model's (the floor's) name
 * @param largeModel the large model's (the reference's) name
 * @param prices the prices of the small and large model
 * @param strategies results, the floor and the reference first
 * @param notComputable strategies left out, with reasons
 * @param notes statements the reader needs (defaults used, how strategies were computed)
 * @param ladder with N models replayed from a trace: every model, cheapest first; empty otherwise
 * @param floorStrategy the name of the floor's strategy
 * @param referenceStrategy the name of the reference's strategy
 * @param comparison with three models or more replayed from a trace: the ladder against its best two-model pair;
 *                   null otherwise (see {@link #ladderComparison()})
 */
public record EvalReport(String dataset, int queries, String tokenizer, String smallModel, String largeModel,
                         CostModel prices, List<StrategyResult> strategies, List<NotComputable> notComputable,
                         List<String> notes, List<LadderModel> ladder, String floorStrategy, String referenceStrategy,
                         LadderComparison comparison) {

    /** The floor's strategy name in a two-model report. */
    public static final String SMALL_ONLY = "slm-only";
    /** The reference's strategy name in a two-model report. */
    public static final String LARGE_ONLY = "llm-only";

    /** Validates and copies. */
    public EvalReport {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(floorStrategy, "floorStrategy");
        Objects.requireNonNull(referenceStrategy, "referenceStrategy");
        strategies = List.copyOf(strategies);
        notComputable = List.copyOf(notComputable);
        notes = List.copyOf(notes);
        ladder = ladder == null ? List.of() : List.copyOf(ladder);
        if (strategies.stream().noneMatch(s -> s.name().equals(floorStrategy))
                || strategies.stream().noneMatch(s -> s.name().equals(referenceStrategy))) {
            throw new IllegalArgumentException("strategies must include " + floorStrategy + " and " + referenceStrategy);
        }
    }

    /** A report without a ladder comparison. */
    public EvalReport(String dataset, int queries, String tokenizer, String smallModel, String largeModel,
                      CostModel prices, List<StrategyResult> strategies, List<NotComputable> notComputable,
                      List<String> notes, List<LadderModel> ladder, String floorStrategy, String referenceStrategy) {
        this(dataset, queries, tokenizer, smallModel, largeModel, prices, strategies, notComputable, notes, ladder,
                floorStrategy, referenceStrategy, null);
    }

    /** A two-model report: {@code slm-only} is the floor, {@code llm-only} the reference. */
    public EvalReport(String dataset, int queries, String tokenizer, String smallModel, String largeModel,
                      CostModel prices, List<StrategyResult> strategies, List<NotComputable> notComputable,
                      List<String> notes) {
        this(dataset, queries, tokenizer, smallModel, largeModel, prices, strategies, notComputable, notes, List.of(),
                SMALL_ONLY, LARGE_ONLY);
    }

    /** This report with other notes. */
    public EvalReport withNotes(List<String> list) {
        return new EvalReport(dataset, queries, tokenizer, smallModel, largeModel, prices, strategies, notComputable,
                list, ladder, floorStrategy, referenceStrategy, comparison);
    }

    /** This report with the ladder set against its best two-model pair. */
    public EvalReport withComparison(LadderComparison c) {
        return new EvalReport(dataset, queries, tokenizer, smallModel, largeModel, prices, strategies, notComputable,
                notes, ladder, floorStrategy, referenceStrategy, Objects.requireNonNull(c, "c"));
    }

    /** Returns the ladder against its best two-model pair, present with three models or more from a trace. */
    public Optional<LadderComparison> ladderComparison() {
        return Optional.ofNullable(comparison);
    }

    /** Returns the named strategy's result, if present. */
    public Optional<StrategyResult> strategy(String name) {
        return strategies.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Whether the strategy is the floor (which ACE excludes). */
    public boolean isFloor(StrategyResult s) {
        return s.name().equals(floorStrategy);
    }

    /** Returns the scores relative to this report's floor and reference. */
    public Scores scores() {
        StrategyResult s = strategy(floorStrategy).orElseThrow();
        StrategyResult l = strategy(referenceStrategy).orElseThrow();
        return new Scores(s.accuracy(), l.accuracy(), l.costUsd(), s.costUsd(), queries);
    }
}
