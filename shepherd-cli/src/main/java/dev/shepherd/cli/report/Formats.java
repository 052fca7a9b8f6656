package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.LadderModel;
import dev.shepherd.cli.eval.Scores;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.ModelRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/** Shared number formatting and table rows for the text, Markdown and HTML outputs. Stateless, thread-safe. */
final class Formats {

    /** The columns of every report (docs/metrics.md defines the metrics). */
    static final String[] HEADER = {"strategy", "accuracy", "cost $", "cost reduction", "ACE", "APGR", "CPT(50%)",
        "CPT(80%)", "IBC lift", "LLM calls", "min cost @90% A_l"};

    /** The column added when some strategy failed on some queries. */
    static final String FAILED = "failed";

    /** The column added in an N-model report: each model's share of the queries, cheapest first. */
    static final String MIX = "calls by model %";

    private Formats() {
    }

    /** Whether the report has a {@value #FAILED} column: some strategy failed on some queries. */
    static boolean hasFailures(EvalReport report) {
        return report.strategies().stream().anyMatch(s -> s.failures() > 0);
    }

    /** The header cells: {@link #HEADER}, the N-model names, plus {@value #MIX} and {@value #FAILED} when present. */
    static String[] header(EvalReport report) {
        List<String> h = new ArrayList<>(List.of(HEADER));
        if (!report.ladder().isEmpty()) {
            h.set(h.indexOf("LLM calls"), "top calls");
            h.set(h.indexOf("min cost @90% A_l"), "min cost @90% top");
            h.add(MIX);
        }
        if (hasFailures(report)) {
            h.add(FAILED);
        }
        return h.toArray(String[]::new);
    }

    /** One row of cells per strategy, in report order, matching {@link #header}. */
    static List<String[]> rows(EvalReport report) {
        Scores scores = report.scores();
        boolean failures = hasFailures(report);
        List<String[]> rows = new ArrayList<>();
        for (StrategyResult s : report.strategies()) {
            boolean floor = report.isFloor(s);
            List<String> row = new ArrayList<>(List.of(
                s.name(),
                String.format(Locale.ROOT, "%.1f %%", 100 * s.accuracy()),
                money(s.costUsd()),
                percent(scores.costReduction(s.costUsd())),
                floor ? "(excl.)" : decimal(scores.ace(s.accuracy(), s.costUsd())),
                decimal(scores.apgr(s)),
                percent(scores.cpt(s, 0.5)),
                percent(scores.cpt(s, 0.8)),
                signedPercent(scores.ibcLift(s)),
                calls(s.largeCalls()),
                scores.minCostToTarget(s).isPresent() ? money(scores.minCostToTarget(s).getAsDouble()) : "not reached"));
            if (!report.ladder().isEmpty()) {
                row.add(mix(report, s));
            }
            if (failures) {
                row.add(String.valueOf(s.failures()));
            }
            rows.add(row.toArray(String[]::new));
        }
        return rows;
    }

    /** Each model's share of the queries, in ladder order ("40/30/20/10"), or "-" when the strategy does not say. */
    static String mix(EvalReport report, StrategyResult s) {
        if (s.modelCalls().isEmpty()) {
            return "-";
        }
        StringJoiner j = new StringJoiner("/");
        for (LadderModel m : report.ladder()) {
            double calls = s.modelCalls().getOrDefault(m.name(), 0.0);
            j.add(String.format(Locale.ROOT, "%.0f", 100 * calls / Math.max(1, report.queries())));
        }
        return j.toString();
    }

    /** Lines describing what the numbers rest on. */
    static List<String> setup(EvalReport r) {
        List<String> lines = new ArrayList<>();
        lines.add("dataset: " + r.dataset() + " (" + r.queries() + " queries)");
        if (r.ladder().isEmpty()) {
            lines.add("SLM: " + r.smallModel() + " at " + prices(r.prices().prices(ModelRole.SMALL)));
            lines.add("LLM: " + r.largeModel() + " at " + prices(r.prices().prices(ModelRole.LARGE)));
            lines.add((r.tokenizer().startsWith("recorded") || r.tokenizer().startsWith("counted")
                    ? "tokens: " : "tokens counted with: ") + r.tokenizer());
            lines.add(String.format(Locale.ROOT, "90 %% of LLM accuracy = %.1f %%", 100 * r.scores().targetAccuracy()));
        } else {
            lines.add("models, cheapest first (floor: " + r.smallModel() + ", reference: " + r.largeModel() + "):");
            int i = 1;
            for (LadderModel m : r.ladder()) {
                lines.add("  " + i++ + ". " + m.name() + " at " + prices(m.prices()) + " (" + m.pricesFrom() + ")");
            }
            lines.add("tokens: " + r.tokenizer());
            lines.add(String.format(Locale.ROOT, "90 %% of the reference's accuracy = %.1f %%",
                    100 * r.scores().targetAccuracy()));
        }
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

    static String signedPercent(OptionalDouble v) {
        if (v.isEmpty()) {
            return "n/a";
        }
        double p = 100 * v.getAsDouble();
        return String.format(Locale.ROOT, "%+.0f %%", Math.abs(p) < 0.5 ? 0.0 : p); // never "-0 %"
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
