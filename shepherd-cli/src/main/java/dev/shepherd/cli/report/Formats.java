package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.Scores;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.ModelRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Shared number formatting and table rows for the text, Markdown and HTML outputs. Stateless, thread-safe. */
final class Formats {

    static final String[] HEADER = {"strategy", "accuracy", "cost $", "cost reduction", "ACE", "LLM calls",
        "min cost @90% A_l"};

    /** The column added when some strategy failed on some queries. */
    static final String FAILED = "failed";

    private Formats() {
    }

    /** Whether the report has a {@value #FAILED} column: some strategy failed on some queries. */
    static boolean hasFailures(EvalReport report) {
        return report.strategies().stream().anyMatch(s -> s.failures() > 0);
    }

    /** The header cells: {@link #HEADER}, plus {@value #FAILED} when {@link #hasFailures}. */
    static String[] header(EvalReport report) {
        if (!hasFailures(report)) {
            return HEADER.clone();
        }
        String[] h = Arrays.copyOf(HEADER, HEADER.length + 1);
        h[HEADER.length] = FAILED;
        return h;
    }

    /** One row of cells per strategy, in report order, matching {@link #header}. */
    static List<String[]> rows(EvalReport report) {
        Scores scores = report.scores();
        boolean failures = hasFailures(report);
        List<String[]> rows = new ArrayList<>();
        for (StrategyResult s : report.strategies()) {
            boolean slm = s.name().equals("slm-only");
            String[] row = new String[] {
                s.name(),
                String.format(Locale.ROOT, "%.1f %%", 100 * s.accuracy()),
                money(s.costUsd()),
                percent(scores.costReduction(s.costUsd())),
                slm ? "(excl.)" : decimal(scores.ace(s.accuracy(), s.costUsd())),
                calls(s.largeCalls()),
                scores.minCostToTarget(s).isPresent() ? money(scores.minCostToTarget(s).getAsDouble()) : "not reached"
            };
            if (failures) {
                row = Arrays.copyOf(row, row.length + 1);
                row[row.length - 1] = String.valueOf(s.failures());
            }
            rows.add(row);
        }
        return rows;
    }

    /** Lines describing what the numbers rest on. */
    static List<String> setup(EvalReport r) {
        List<String> lines = new ArrayList<>();
        lines.add("dataset: " + r.dataset() + " (" + r.queries() + " queries)");
        lines.add("SLM: " + r.smallModel() + " at " + prices(r.prices().prices(ModelRole.SMALL)));
        lines.add("LLM: " + r.largeModel() + " at " + prices(r.prices().prices(ModelRole.LARGE)));
        lines.add("tokens counted with: " + r.tokenizer());
        lines.add(String.format(Locale.ROOT, "90 %% of LLM accuracy = %.1f %%", 100 * r.scores().targetAccuracy()));
        return lines;
    }

    static String prices(TokenPrices p) {
        return String.format(Locale.ROOT, "$%s / M input, $%s / M output tokens",
                trim(p.inputPerMillion()), trim(p.outputPerMillion()));
    }

    static String money(double usd) {
        return String.format(Locale.ROOT, "%.4f", usd);
    }

    static String percent(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.1f %%", 100 * v.getAsDouble()) : "n/a";
    }

    static String decimal(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "n/a";
    }

    static String calls(double calls) {
        return Math.rint(calls) == calls ? String.valueOf((long) calls) : String.format(Locale.ROOT, "%.1f", calls);
    }

    private static String trim(double d) {
        return Math.rint(d) == d ? String.valueOf((long) d) : String.valueOf(d);
    }
}
