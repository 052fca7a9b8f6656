package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.LadderComparison;
import dev.shepherd.cli.eval.NotComputable;
import dev.shepherd.cli.eval.Scores;
import dev.shepherd.cli.eval.StrategyResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cells and lines of the ladder-vs-best-pair comparison ({@link LadderComparison}) for the text, Markdown and
 * HTML outputs. Every metric is against the report's floor and reference, as in the main table. Stateless,
 * thread-safe.
 */
final class Comparisons {

    /** The comparison table's columns. */
    static final String[] HEADER = {"strategy", "models", "accuracy", "cost $", "ACE", "APGR", "CPT(50%)",
        "CPT(80%)", "top calls", "min cost @90% top"};

    /** The per-pair table's columns (the report pages only). */
    static final String[] PAIR_HEADER = {"pair", "strategy", "accuracy", "cost $", "ACE", "min cost @90% top"};

    private Comparisons() {
    }

    /** The title line above the comparison table. */
    static String title(EvalReport r, LadderComparison c) {
        return String.format(Locale.ROOT, "the %d-model ladder vs the best two-model pair, %s -> %s (every metric "
                + "against the same floor and reference as above):", r.ladder().size(), c.cheaper(), c.dearer());
    }

    /** The lines below the comparison table: the criterion and what the best pair's data does not allow. */
    static List<String> footer(LadderComparison c) {
        List<String> lines = new ArrayList<>();
        lines.add("best pair: " + c.criterion());
        for (NotComputable nc : c.notComputable()) {
            lines.add("best pair, not computable: " + nc.name() + ": " + nc.reason());
        }
        return lines;
    }

    /** One row per compared strategy, matching {@link #HEADER}. */
    static List<String[]> rows(EvalReport r, LadderComparison c) {
        Scores scores = r.scores();
        List<String[]> rows = new ArrayList<>();
        for (LadderComparison.Row row : c.rows()) {
            StrategyResult s = row.result();
            rows.add(new String[] {
                (row.side().equals(LadderComparison.LADDER) ? "" : "pair ") + s.name(),
                row.models(),
                String.format(Locale.ROOT, "%.1f %%", 100 * s.accuracy()),
                Formats.money(s.costUsd()),
                Formats.decimal(scores.ace(s.accuracy(), s.costUsd())),
                Formats.decimal(scores.apgr(s)),
                Formats.percent(scores.cpt(s, 0.5)),
                Formats.percent(scores.cpt(s, 0.8)),
                Formats.calls(s.largeCalls()),
                minCost(scores, s)});
        }
        return rows;
    }

    /** One row per strategy of every pair, matching {@link #PAIR_HEADER}. */
    static List<String[]> pairRows(EvalReport r, LadderComparison c) {
        Scores scores = r.scores();
        List<String[]> rows = new ArrayList<>();
        for (LadderComparison.Pair p : c.pairs()) {
            for (StrategyResult s : p.strategies()) {
                rows.add(new String[] {p.label(), s.name(), String.format(Locale.ROOT, "%.1f %%", 100 * s.accuracy()),
                    Formats.money(s.costUsd()), Formats.decimal(scores.ace(s.accuracy(), s.costUsd())),
                    minCost(scores, s)});
            }
        }
        return rows;
    }

    private static String minCost(Scores scores, StrategyResult s) {
        return scores.minCostToTarget(s).isPresent() ? Formats.money(scores.minCostToTarget(s).getAsDouble())
                : "not reached";
    }
}
