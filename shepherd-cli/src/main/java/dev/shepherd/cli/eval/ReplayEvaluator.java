package dev.shepherd.cli.eval;

import dev.shepherd.cli.trace.RouteLlmTrace;
import dev.shepherd.cli.trace.TraceRow;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.model.ModelRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Computes strategies exactly from a recorded two-model trace: no model is called and nothing is simulated.
 *
 * <p>Per query, the SLM call costs {@code |q|·c_in_s + |h_s|·c_out_s} and the LLM call
 * {@code |q|·c_in_l + |h_l|·c_out_l}, with token counts from the given {@link TokenCounter}. Routing sends a
 * query wholly to one model, so a routed query pays only the LLM. Strategies needing data a trace lacks (hint
 * continuations, several SLM samples) are listed as {@link NotComputable}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplayEvaluator {

    /** LLM-call share of {@code random-routing} when no router gives one. */
    public static final double DEFAULT_RANDOM_SHARE = 0.5;

    private final TokenCounter tokens;
    private final CostModel prices;
    private final double defaultRandomShare;

    /**
     * Creates an evaluator.
     *
     * @param tokens how to count tokens of the recorded text
     * @param prices token prices of the SLM and LLM
     * @param defaultRandomShare the LLM-call share of random routing when no router is given, in [0, 1]
     */
    public ReplayEvaluator(TokenCounter tokens, CostModel prices, double defaultRandomShare) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.prices = Objects.requireNonNull(prices, "prices");
        if (!(defaultRandomShare >= 0 && defaultRandomShare <= 1)) {
            throw new IllegalArgumentException("defaultRandomShare must be in [0, 1] but was " + defaultRandomShare);
        }
        this.defaultRandomShare = defaultRandomShare;
    }

    /**
     * Evaluates every computable strategy on the trace.
     *
     * @param trace the trace
     * @param routing router scores for {@code routing}, or {@code null} when no predictor was given
     * @return the report
     */
    public EvalReport evaluate(RouteLlmTrace trace, RoutingScores routing) {
        List<TraceRow> rows = trace.rows();
        int n = rows.size();
        if (routing != null && routing.scores().length != n) {
            throw new IllegalArgumentException("routing scores cover " + routing.scores().length
                    + " queries but the trace has " + n);
        }
        double[] smallCost = new double[n];
        double[] largeCost = new double[n];
        boolean[] smallOk = new boolean[n];
        boolean[] largeOk = new boolean[n];
        for (int i = 0; i < n; i++) {
            TraceRow r = rows.get(i);
            long q = tokens.count(r.prompt());
            smallCost[i] = prices.cost(ModelRole.SMALL, q, tokens.count(r.smallResponse()));
            largeCost[i] = prices.cost(ModelRole.LARGE, q, tokens.count(r.largeResponse()));
            smallOk[i] = r.smallCorrect();
            largeOk[i] = r.largeCorrect();
        }
        double cs = sum(smallCost);
        double cl = sum(largeCost);
        double as = count(smallOk) / (double) n;
        double al = count(largeOk) / (double) n;

        List<StrategyResult> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        out.add(StrategyResult.point("slm-only", as, cs, 0, 0, "the weak model's recorded answers"));
        out.add(StrategyResult.point("llm-only", al, cl, n, 0, "the strong model's recorded answers"));
        out.add(oracle(smallCost, largeCost, smallOk, largeOk));
        double share = defaultRandomShare;
        if (routing != null) {
            StrategyResult routed = routing(routing, smallCost, largeCost, smallOk, largeOk);
            out.add(routed);
            share = routed.largeCalls() / n;
        } else {
            notes.add(String.format(Locale.ROOT, "random-routing is shown at the default LLM-call share "
                    + "%.2f (no --predictor given; change with --random-share)", share));
        }
        out.add(StrategyResult.randomRouting(share, as, al, cs, cl, n));
        return new EvalReport(trace.source(), n, tokens.name(), trace.smallModel(), trace.largeModel(), prices, out,
                notComputable(routing == null), notes);
    }

    private static StrategyResult oracle(double[] sc, double[] lc, boolean[] so, boolean[] lo) {
        double cost = 0;
        int ok = 0;
        int calls = 0;
        for (int i = 0; i < sc.length; i++) {
            boolean route = !so[i] && lo[i];
            cost += route ? lc[i] : sc[i];
            calls += route ? 1 : 0;
            ok += so[i] || lo[i] ? 1 : 0;
        }
        return StrategyResult.point("oracle-routing", ok / (double) sc.length, cost, calls, 0,
                "routes exactly the queries the SLM gets wrong and the LLM gets right (RouteLLM's oracle)");
    }

    private static StrategyResult routing(RoutingScores r, double[] sc, double[] lc, boolean[] so, boolean[] lo) {
        double[] scores = r.scores();
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        // Start with everything on the SLM, move queries to the LLM in decreasing score; one point per distinct score.
        double cost = sum(sc);
        int ok = count(so);
        List<CurvePoint> curve = new ArrayList<>();
        double max = n == 0 ? 1 : scores[order[0]];
        curve.add(new CurvePoint(Math.nextUp(max), ok / (double) n, cost, 0));
        for (int k = 0; k < n; k++) {
            int i = order[k];
            cost += lc[i] - sc[i];
            ok += (lo[i] ? 1 : 0) - (so[i] ? 1 : 0);
            if (k == n - 1 || scores[order[k + 1]] != scores[i]) {
                curve.add(new CurvePoint(scores[i], ok / (double) n, cost, k + 1));
            }
        }
        double t = r.operatingThreshold();
        double pc = 0;
        int pok = 0;
        int calls = 0;
        for (int i = 0; i < n; i++) {
            boolean route = scores[i] >= t;
            pc += route ? lc[i] : sc[i];
            pok += (route ? lo[i] : so[i]) ? 1 : 0;
            calls += route ? 1 : 0;
        }
        return new StrategyResult("routing", pok / (double) n, pc, calls, 0, curve,
                String.format(Locale.ROOT, "router %s at threshold %.4f; curve sweeps every threshold",
                        r.router(), t));
    }

    private static List<NotComputable> notComputable(boolean noRouter) {
        List<NotComputable> out = new ArrayList<>();
        if (noRouter) {
            out.add(new NotComputable("routing", "needs a router: pass --predictor BUNDLE "
                    + "(train one with: shepherd train --trace routellm:FILE --out DIR)"));
        }
        String hints = "the trace holds only full answers: no LLM hint prefixes and no SLM continuation given a hint";
        out.add(new NotComputable("oracle-shepherding", hints + " (n* labels come from `shepherd label`)"));
        out.add(new NotComputable("proactive-shepherding", hints));
        out.add(new NotComputable("reactive-shepherding", hints + "; also needs K SLM samples per query"));
        out.add(new NotComputable("agreement-cascade", "needs K >= 2 SLM samples per query to measure agreement;"
                + " the trace has one SLM answer per query"));
        return out;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    private static int count(boolean[] a) {
        int c = 0;
        for (boolean b : a) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
