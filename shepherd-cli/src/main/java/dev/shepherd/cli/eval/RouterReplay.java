package dev.shepherd.cli.eval;

import dev.shepherd.onnx.CostAwareChoice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Replays a router's decisions exactly from a trace: the two-model routing head, or the N-way router. Stateless. */
final class RouterReplay {

    private RouterReplay() {
    }

    /**
     * The two-model routing head: a query goes to the reference iff its score ≥ the threshold; the curve moves
     * queries to the reference in decreasing score, one point per distinct score.
     */
    static StrategyResult binary(ReplayData d, RoutingScores r) {
        double[] scores = r.scores();
        int n = d.n;
        int s = d.floor;
        int l = d.reference;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        double cost = 0;
        double ok = 0;
        for (int i = 0; i < n; i++) {
            cost += d.cost[i][s];
            ok += d.quality[i][s];
        }
        List<CurvePoint> curve = new ArrayList<>();
        double max = n == 0 ? 1 : scores[order[0]];
        curve.add(new CurvePoint(Math.nextUp(max), ok / n, cost, 0));
        for (int k = 0; k < n; k++) {
            int i = order[k];
            cost += d.cost[i][l] - d.cost[i][s];
            ok += d.quality[i][l] - d.quality[i][s];
            if (k == n - 1 || scores[order[k + 1]] != scores[i]) {
                curve.add(new CurvePoint(scores[i], ok / n, cost, k + 1));
            }
        }
        double t = r.operatingThreshold();
        ReplayData.Tally tally = d.tally();
        for (int i = 0; i < n; i++) {
            tally.route(i, scores[i] >= t ? l : s);
        }
        return tally.result("routing", curve, String.format(Locale.ROOT,
                "router %s at threshold %.4f; curve sweeps every threshold", r.router(), t));
    }

    /**
     * The N-way router: per query the model maximising {@code p − λ · ĉ / mean(ĉ_reference)} ({@link CostAwareChoice});
     * the curve sweeps {@link CostAwareChoice#lambdas()}.
     */
    static StrategyResult nWay(ReplayData d, RouterScores r) {
        int[] column = new int[d.m]; // trace model j -> router column
        for (int j = 0; j < d.m; j++) {
            column[j] = r.models().indexOf(d.models.get(j));
            if (column[j] < 0 || r.models().size() != d.m) {
                throw new IllegalArgumentException("the router " + r.router() + " routes among " + r.models()
                        + " but the trace's models are " + d.models);
            }
        }
        if (r.probabilities().length != d.n) {
            throw new IllegalArgumentException("router probabilities cover " + r.probabilities().length
                    + " queries but the trace has " + d.n);
        }
        double[][] p = new double[d.n][d.m];
        double[][] estimate = new double[d.n][d.m];
        double[][] rp = r.probabilities();
        double[] meanOut = r.meanOutputTokens();
        double scale = 0;
        for (int i = 0; i < d.n; i++) {
            for (int j = 0; j < d.m; j++) {
                p[i][j] = rp[i][column[j]];
                estimate[i][j] = d.prices[j].cost(d.inputTokens[i][j], Math.round(meanOut[column[j]]));
            }
            scale += estimate[i][d.reference] / d.n;
        }
        double unit = scale > 0 ? scale : 1;
        List<CurvePoint> curve = new ArrayList<>();
        for (double lambda : CostAwareChoice.lambdas()) {
            curve.add(choose(d, p, estimate, unit, lambda).point(lambda));
        }
        return choose(d, p, estimate, unit, r.lambda()).result("routing", curve, String.format(Locale.ROOT,
                "N-way router %s: per query the model maximising P(good) - %.3f x estimated cost / %s's mean "
                        + "estimated cost; curve sweeps lambda%s", r.router(), r.lambda(), d.models.get(d.reference),
                r.note().isEmpty() ? "" : "; " + r.note()));
    }

    private static ReplayData.Tally choose(ReplayData d, double[][] p, double[][] estimate, double unit,
                                           double lambda) {
        ReplayData.Tally t = d.tally();
        for (int i = 0; i < d.n; i++) {
            t.route(i, CostAwareChoice.choose(p[i], estimate[i], unit, lambda));
        }
        return t;
    }
}
