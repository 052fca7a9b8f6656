package dev.shepherd.cli.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Arrays;

/**
 * Random routing among N models, as exact expected values: each query goes to model j with a fixed probability w_j,
 * whatever the query, so accuracy and cost are the w-weighted means of the models alone. The operating point uses
 * the router's own mix of models when a router is replayed (the same calls, sent at random), else a uniform mix;
 * the curve is the best any random mix reaches at each cost — RouterBench's "zero router" (Hu et al., arXiv
 * 2403.12031): the non-decreasing upper convex hull of the models' (cost, accuracy) points, from the cheapest model
 * up. Package-private; stateless.
 */
final class RandomRouting {

    private static final int STEPS = 10;

    private RandomRouting() {
    }

    static StrategyResult of(ReplayData d, StrategyResult routed) {
        double[] acc = new double[d.m];
        double[] cost = new double[d.m];
        for (int i = 0; i < d.n; i++) {
            for (int j = 0; j < d.m; j++) {
                acc[j] += d.quality[i][j] / d.n;
                cost[j] += d.cost[i][j];
            }
        }
        double[] w = new double[d.m];
        String mix;
        if (routed != null && !routed.modelCalls().isEmpty()) {
            for (int j = 0; j < d.m; j++) {
                w[j] = routed.modelCalls().getOrDefault(d.models.get(j), 0.0) / d.n;
            }
            mix = "the router's mix of models";
        } else {
            Arrays.fill(w, 1.0 / d.m);
            mix = "a uniform mix (1/" + d.m + " each)";
        }
        double a = 0;
        double c = 0;
        Map<String, Double> calls = new LinkedHashMap<>();
        for (int j : d.ladder) {
            a += w[j] * acc[j];
            c += w[j] * cost[j];
            calls.put(d.models.get(j), w[j] * d.n);
        }
        List<CurvePoint> curve = new ArrayList<>();
        List<Integer> hull = hull(d, acc, cost);
        curve.add(new CurvePoint(cost[hull.get(0)], acc[hull.get(0)], cost[hull.get(0)],
                hull.get(0) == d.reference ? d.n : 0));
        for (int h = 1; h < hull.size(); h++) {
            int from = hull.get(h - 1);
            int to = hull.get(h);
            for (int s = 1; s <= STEPS; s++) {
                double t = s / (double) STEPS;
                double pc = (1 - t) * cost[from] + t * cost[to];
                double ref = ((from == d.reference ? 1 - t : 0) + (to == d.reference ? t : 0)) * d.n;
                curve.add(new CurvePoint(pc, (1 - t) * acc[from] + t * acc[to], pc, ref));
            }
        }
        return new StrategyResult("random-routing", a, c, w[d.reference] * d.n, 0, curve, String.format(Locale.ROOT,
                "expected value of sending each query to a model drawn at random with %s; curve: the best random mix "
                        + "at each cost (RouterBench's zero router, through %s)", mix,
                String.join(", ", hull.stream().map(d.models::get).toList()))).withModelCalls(calls);
    }

    /** The models on the non-decreasing upper hull, from the cheapest: each next one the steepest gain per dollar. */
    static List<Integer> hull(ReplayData d, double[] acc, double[] cost) {
        List<Integer> out = new ArrayList<>();
        int cur = d.floor;
        for (int j = 0; j < d.m; j++) { // among equally cheap models, the most accurate
            if (cost[j] == cost[cur] && acc[j] > acc[cur]) {
                cur = j;
            }
        }
        out.add(cur);
        while (true) {
            int next = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d.m; j++) {
                if (cost[j] <= cost[cur] || acc[j] <= acc[cur]) {
                    continue;
                }
                double slope = (acc[j] - acc[cur]) / (cost[j] - cost[cur]);
                if (slope > best + 1e-15 || (Math.abs(slope - best) <= 1e-15 && cost[j] > cost[next])) {
                    best = slope;
                    next = j;
                }
            }
            if (next < 0) {
                return out;
            }
            out.add(next);
            cur = next;
        }
    }
}
