package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.CostModel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an evaluation: per-strategy results, the strategies that could not be computed, and what the
 * numbers rest on (tokenizer, prices, models).
 *
 * @param dataset the dataset or trace name
 * @param queries number of queries evaluated
 * @param tokenizer how tokens were counted ({@code cl100k_base}, or {@code model-reported} live)
 * @param smallModel the small model's name
 * @param largeModel the large model's name
 * @param prices the prices used
 * @param strategies results, {@code slm-only} and {@code llm-only} first
 * @param notComputable strategies left out, with reasons
 * @param notes statements the reader needs (defaults used, how strategies were computed)
 */
public record EvalReport(String dataset, int queries, String tokenizer, String smallModel, String largeModel,
                         CostModel prices, List<StrategyResult> strategies, List<NotComputable> notComputable,
                         List<String> notes) {

    /** Validates and copies. */
    public EvalReport {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(prices, "prices");
        strategies = List.copyOf(strategies);
        notComputable = List.copyOf(notComputable);
        notes = List.copyOf(notes);
        if (strategies.stream().noneMatch(s -> s.name().equals("slm-only"))
                || strategies.stream().noneMatch(s -> s.name().equals("llm-only"))) {
            throw new IllegalArgumentException("strategies must include slm-only and llm-only");
        }
    }

    /** Returns the named strategy's result, if present. */
    public Optional<StrategyResult> strategy(String name) {
        return strategies.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Returns the scores relative to this report's SLM-only and LLM-only baselines. */
    public Scores scores() {
        StrategyResult s = strategy("slm-only").orElseThrow();
        StrategyResult l = strategy("llm-only").orElseThrow();
        return new Scores(s.accuracy(), l.accuracy(), l.costUsd());
    }
}
