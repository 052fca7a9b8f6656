package dev.shepherd.cli.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Replays every pair of models of a ladder as a two-model deployment and sets the best pair against the whole ladder
 * ({@link LadderComparison}). Package-private; stateless.
 *
 * <p>Per pair (cheaper, dearer): the cascades over the two rungs exactly as the ladder's are computed ({@link
 * Cascades}), the pair's oracle routing, and with an N-way router the router restricted to the pair's two
 * probability columns. The restriction is clean because the router has one independent success head per model:
 * dropping the other models' columns leaves the pair's probabilities unchanged. Its λ is the one calibrated for the
 * whole ladder, not recalibrated for the pair; its curve sweeps λ, so APGR, CPT and the minimum cost do not depend on
 * it.
 */
final class BestPair {

    static final String CRITERION = "the pair whose cascade or router reaches 90 % of the reference's accuracy at "
            + "the least cost (over each strategy's operating point and curve); if no pair's does, the highest ACE at "
            + "the operating point, ties by accuracy. The oracle decides only when the trace allows no pair a cascade "
            + "or a router. (Not ACE first: ACE rewards cheap pairs that never come near the reference's accuracy.)";

    private static final List<String> COMPARED = List.of("agreement-cascade", "confidence-cascade", "routing",
            "oracle-routing");

    private BestPair() {
    }

    /**
     * Compares the ladder with its best pair.
     *
     * @param d the whole ladder, three models or more
     * @param ladder the ladder's strategy results
     * @param router the N-way router's scores, or null
     * @param scores the whole ladder's floor and reference, against which every pair is scored
     */
    static LadderComparison compare(ReplayData d, List<StrategyResult> ladder, RouterScores router, int agreement,
                                    double confidence, Scores scores) {
        List<LadderComparison.Pair> pairs = new ArrayList<>();
        for (int a = 0; a < d.m; a++) {
            for (int b = a + 1; b < d.m; b++) {
                pairs.add(pair(d, d.ladder[a], d.ladder[b], router, agreement, confidence));
            }
        }
        boolean deployable = pairs.stream().anyMatch(p -> p.strategies().stream().anyMatch(BestPair::deployable));
        Comparator<Key> order = Comparator.comparing(Key::reached).thenComparing(k -> k.reached() ? -k.minCost() : 0)
                .thenComparingDouble(k -> k.reached() ? 0 : k.ace()).thenComparingDouble(Key::accuracy);
        LadderComparison.Pair best = null;
        Key bestKey = null;
        for (LadderComparison.Pair p : pairs) {
            for (StrategyResult s : p.strategies()) {
                if (deployable(s) != deployable) {
                    continue;
                }
                Key k = Key.of(s, scores);
                if (bestKey == null || order.compare(k, bestKey) > 0) {
                    best = p;
                    bestKey = k;
                }
            }
        }
        List<LadderComparison.Row> rows = new ArrayList<>();
        String all = d.m + " tiers";
        for (String name : COMPARED) {
            ladder.stream().filter(s -> s.name().equals(name)).findFirst()
                    .ifPresent(s -> rows.add(new LadderComparison.Row(LadderComparison.LADDER, all, s)));
        }
        for (String name : COMPARED) {
            for (StrategyResult s : best.strategies()) {
                if (s.name().equals(name)) {
                    rows.add(new LadderComparison.Row(LadderComparison.BEST_PAIR, best.label(), s));
                }
            }
        }
        return new LadderComparison(CRITERION, best.cheaper(), best.dearer(), rows, pairs, best.notComputable());
    }

    private static boolean deployable(StrategyResult s) {
        return !s.name().equals("oracle-routing");
    }

    private static LadderComparison.Pair pair(ReplayData d, int cheaper, int dearer, RouterScores router,
                                              int agreement, double confidence) {
        ReplayData p = new ReplayData(d, cheaper, dearer);
        List<StrategyResult> out = new ArrayList<>();
        List<NotComputable> missing = new ArrayList<>();
        Cascades.all(p, false, agreement, confidence, out, missing);
        if (router != null) {
            out.add(routed(p, router));
        } else {
            missing.add(new NotComputable("routing", "needs a router: pass --predictor BUNDLE (the N-way router "
                    + "restricted to the pair's two models)"));
        }
        out.add(ReplayEvaluator.oracle(p));
        boolean top = dearer == d.reference;
        List<StrategyResult> rebased = out.stream().map(s -> onLadder(s, top)).toList();
        return new LadderComparison.Pair(p.models.get(0), p.models.get(1), rebased, missing);
    }

    /** The N-way router with only the pair's two probability columns. */
    private static StrategyResult routed(ReplayData p, RouterScores r) {
        double[][] all = r.probabilities();
        double[] meanOut = r.meanOutputTokens();
        int[] col = {r.models().indexOf(p.models.get(0)), r.models().indexOf(p.models.get(1))};
        double[][] two = new double[all.length][];
        for (int i = 0; i < all.length; i++) {
            two[i] = new double[] {all[i][col[0]], all[i][col[1]]};
        }
        RouterScores restricted = new RouterScores(r.router(), p.models, two,
                new double[] {meanOut[col[0]], meanOut[col[1]]}, r.lambda(), "");
        StrategyResult s = RouterReplay.nWay(p, restricted);
        return new StrategyResult(s.name(), s.accuracy(), s.costUsd(), s.largeCalls(), 0, s.curve(),
                String.format(Locale.ROOT, "the N-way router %s restricted to %s and %s (their own success heads): per "
                        + "query the one maximising P(good) - %.3f x estimated cost / %s's mean estimated cost, lambda "
                        + "as calibrated for the whole ladder; curve sweeps lambda", r.router(), p.models.get(0),
                        p.models.get(1), r.lambda(), p.models.get(1)), 0, s.modelCalls());
    }

    /**
     * The pair's result with its reference calls counted against the whole ladder: calls to the pair's dearer model
     * are calls to the ladder's reference only when it is that model.
     */
    private static StrategyResult onLadder(StrategyResult s, boolean dearerIsTop) {
        if (dearerIsTop) {
            return s;
        }
        List<CurvePoint> curve = s.curve().stream()
                .map(c -> new CurvePoint(c.parameter(), c.accuracy(), c.costUsd(), 0)).toList();
        return new StrategyResult(s.name(), s.accuracy(), s.costUsd(), 0, s.hintTokens(), curve, s.note(),
                s.failures(), s.modelCalls());
    }

    /** What the criterion ranks a strategy by. */
    private record Key(boolean reached, double minCost, double ace, double accuracy) {

        static Key of(StrategyResult s, Scores scores) {
            OptionalDouble min = scores.minCostToTarget(s);
            OptionalDouble ace = scores.ace(s.accuracy(), s.costUsd());
            return new Key(min.isPresent(), min.orElse(Double.POSITIVE_INFINITY),
                    ace.orElse(Double.NEGATIVE_INFINITY), s.accuracy());
        }
    }
}
