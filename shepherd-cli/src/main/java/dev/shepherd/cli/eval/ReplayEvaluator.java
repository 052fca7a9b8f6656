package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Computes strategies exactly from a recorded trace of two or more models ({@link Trace}): no model is called and
 * nothing is simulated.
 *
 * <p>Per query, a model's answer costs {@code input·c_in + output·c_out} at that model's prices, with the trace's
 * token counts, else counts from the given {@link TokenCounter} (the report says which). The models are laid on a
 * ladder by their total cost over the trace; the cheapest alone is the floor, the most expensive alone the reference
 * of every derived metric (docs/metrics.md). Strategies: each model alone ({@code slm-only} and {@code llm-only} with
 * two models, {@code only:MODEL} with more), {@code oracle-routing} (per query the cheapest of the models with the
 * best recorded quality), {@code routing} (a two-model routing head, or the N-way router), {@code random-routing}
 * (exact expected values), and the cascades over the ladder the trace allows ({@code agreement-cascade} needs
 * samples, {@code confidence-cascade} recorded confidences). What a trace cannot give is listed as
 * {@link NotComputable}. With three models or more, the report also sets the ladder against its best two-model pair
 * ({@link LadderComparison}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplayEvaluator {

    /** LLM-call share of {@code random-routing} with two models when no router gives one. */
    public static final double DEFAULT_RANDOM_SHARE = 0.5;
    /** k of the agreement cascade unless set. */
    public static final int DEFAULT_AGREEMENT = 3;
    /** Threshold of the confidence cascade unless set. */
    public static final double DEFAULT_CONFIDENCE = 0.8;

    private final TokenCounter tokens;
    private final CostModel twoModelPrices;
    private final Map<String, LadderPrice> prices;
    private final double defaultRandomShare;
    private final int agreement;
    private final double confidence;

    /**
     * A model's prices and where they came from.
     *
     * @param prices the prices
     * @param from where they came from, for the report ({@code --price}, the config file, a default)
     */
    public record LadderPrice(TokenPrices prices, String from) {

        /** Validates. */
        public LadderPrice {
            Objects.requireNonNull(prices, "prices");
            Objects.requireNonNull(from, "from");
        }
    }

    /**
     * A two-model evaluator: the trace's first model is priced as the small model, the second as the large one.
     *
     * @param tokens how to count tokens the trace does not record
     * @param prices token prices of the small and large model
     * @param defaultRandomShare the LLM-call share of random routing when no router is given, in [0, 1]
     */
    public ReplayEvaluator(TokenCounter tokens, CostModel prices, double defaultRandomShare) {
        this(builder(tokens).randomShare(defaultRandomShare), Objects.requireNonNull(prices, "prices"));
    }

    private ReplayEvaluator(Builder b, CostModel twoModelPrices) {
        this.tokens = b.tokens;
        this.twoModelPrices = twoModelPrices;
        this.prices = Map.copyOf(b.prices);
        this.defaultRandomShare = b.randomShare;
        this.agreement = b.agreement;
        this.confidence = b.confidence;
    }

    /** A builder counting missing tokens with {@code tokens}. */
    public static Builder builder(TokenCounter tokens) {
        return new Builder(Objects.requireNonNull(tokens, "tokens"));
    }

    /** Evaluates every computable strategy; {@code routing} is the two-model head's, or left out when null. */
    public EvalReport evaluate(Trace trace, RoutingScores routing) {
        return evaluate(trace, routing, null);
    }

    /**
     * Evaluates every computable strategy on the trace.
     *
     * @param trace the trace, two models or more
     * @param routing a two-model routing head's scores, or null
     * @param router an N-way router's probabilities, or null (not both)
     * @return the report
     * @throws IllegalArgumentException when a model has no prices, the trace has fewer than two models, or the
     *                                  router does not fit the trace
     */
    public EvalReport evaluate(Trace trace, RoutingScores routing, RouterScores router) {
        Objects.requireNonNull(trace, "trace");
        if (trace.models().size() < 2) {
            throw new IllegalArgumentException("replay needs at least two models but the trace has " + trace.models());
        }
        if (routing != null && router != null) {
            throw new IllegalArgumentException("give a two-model routing head or an N-way router, not both");
        }
        if (routing != null && trace.models().size() != 2) {
            throw new IllegalArgumentException("a two-model routing head cannot route among " + trace.models().size()
                    + " models; train an N-way router (shepherd train --trace jsonl:FILE)");
        }
        Trace.Counted counted = trace.countMissingTokens(tokens::count);
        Map<String, LadderPrice> priced = priced(trace.models());
        Map<String, TokenPrices> plain = new LinkedHashMap<>();
        priced.forEach((k, v) -> plain.put(k, v.prices()));
        ReplayData d = new ReplayData(counted.trace(), plain);
        int n = d.n;
        if (routing != null && routing.scores().length != n) {
            throw new IllegalArgumentException("routing scores cover " + routing.scores().length
                    + " queries but the trace has " + n);
        }
        boolean two = d.m == 2;
        List<StrategyResult> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int j : d.ladder) {
            ReplayData.Tally t = d.tally();
            for (int i = 0; i < n; i++) {
                t.route(i, j);
            }
            out.add(t.result(name(d, j), List.of(), "the recorded answers of " + d.models.get(j)));
        }
        out.add(oracle(d));
        StrategyResult routed = null;
        if (routing != null) {
            routed = RouterReplay.binary(d, routing);
        } else if (router != null) {
            routed = RouterReplay.nWay(d, router);
        }
        if (routed != null) {
            out.add(routed);
        }
        StrategyResult random = two ? randomTwo(d, routed, notes) : RandomRouting.of(d, routed);
        out.add(random);
        if (routed != null) {
            notes.add(String.format(Locale.ROOT, "routing vs random at equal cost: routing %.1f %% at $%.4f; the "
                    + "random-routing curve reaches %.1f %% at that cost", 100 * routed.accuracy(), routed.costUsd(),
                    100 * accuracyAtCost(random.curve(), routed.costUsd())));
        }
        List<NotComputable> missing = new ArrayList<>();
        Cascades.all(d, two, agreement, confidence, out, missing);
        if (routed == null) {
            missing.add(0, new NotComputable("routing", "needs a router: pass --predictor BUNDLE (train one with: "
                    + "shepherd train --trace " + (two ? "routellm:FILE|jsonl:FILE" : "jsonl:FILE") + " --out DIR)"));
        }
        missing.addAll(shepherding(d));
        List<LadderModel> ladder = new ArrayList<>();
        if (!two) {
            for (int j : d.ladder) {
                String model = d.models.get(j);
                ladder.add(new LadderModel(model, d.prices[j], priced.get(model).from(),
                        counted.counted().get(model)));
            }
        }
        CostModel pair = CostModel.perToken(d.prices[d.floor], d.prices[d.reference]);
        EvalReport report = new EvalReport(trace.source(), n, tokenizer(counted, d), d.models.get(d.floor),
                d.models.get(d.reference), pair, out, missing, notes, ladder, name(d, d.floor),
                name(d, d.reference));
        return d.m < 3 ? report
                : report.withComparison(BestPair.compare(d, out, router, agreement, confidence, report.scores()));
    }

    private Map<String, LadderPrice> priced(List<String> models) {
        Map<String, LadderPrice> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < models.size(); j++) {
            String model = models.get(j);
            LadderPrice p = prices.get(model);
            if (p == null && twoModelPrices != null && models.size() == 2) {
                ModelRole role = j == 0 ? ModelRole.SMALL : ModelRole.LARGE;
                p = new LadderPrice(twoModelPrices.prices(role), role == ModelRole.SMALL ? "SLM prices" : "LLM prices");
            }
            if (p == null) {
                missing.add(model);
            } else {
                out.put(model, p);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no prices for model(s) " + missing + "; give --price MODEL=IN:OUT (USD "
                    + "per million tokens) for each");
        }
        return out;
    }

    private static String name(ReplayData d, int j) {
        if (d.m == 2) {
            return j == d.floor ? EvalReport.SMALL_ONLY : EvalReport.LARGE_ONLY;
        }
        return "only:" + d.models.get(j);
    }

    private String tokenizer(Trace.Counted counted, ReplayData d) {
        List<String> countedModels = new ArrayList<>();
        List<String> recorded = new ArrayList<>();
        for (int j : d.ladder) {
            String model = d.models.get(j);
            int c = counted.counted().get(model);
            if (c > 0) {
                countedModels.add(model + ": " + c);
            } else {
                recorded.add(model);
            }
        }
        if (countedModels.isEmpty()) {
            return "recorded in the trace";
        }
        if (recorded.isEmpty() && d.m == 2) {
            return tokens.name(); // RouteLLM's CSV: none recorded (the two-model output as before)
        }
        return "counted with " + tokens.name() + " where the trace has none (" + String.join(", ", countedModels)
                + " responses/samples)" + (recorded.isEmpty() ? "" : "; recorded for " + String.join(", ", recorded));
    }

    /** The accuracy of a cost-ordered curve at a cost, linearly interpolated (clamped to its ends). */
    static double accuracyAtCost(List<CurvePoint> curve, double cost) {
        List<CurvePoint> c = new ArrayList<>(curve);
        c.sort(Comparator.comparingDouble(CurvePoint::costUsd));
        if (cost <= c.get(0).costUsd()) {
            return c.get(0).accuracy();
        }
        for (int i = 1; i < c.size(); i++) {
            CurvePoint a = c.get(i - 1);
            CurvePoint b = c.get(i);
            if (cost <= b.costUsd()) {
                double t = b.costUsd() == a.costUsd() ? 1 : (cost - a.costUsd()) / (b.costUsd() - a.costUsd());
                return a.accuracy() + t * (b.accuracy() - a.accuracy());
            }
        }
        return c.get(c.size() - 1).accuracy();
    }

    /** Per query the cheapest model among those with the best recorded quality. */
    static StrategyResult oracle(ReplayData d) {
        ReplayData.Tally t = d.tally();
        for (int i = 0; i < d.n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d.m; j++) {
                best = Math.max(best, d.quality[i][j]);
            }
            int pick = -1;
            for (int j : d.ladder) {
                if (d.quality[i][j] >= best - 1e-12 && (pick < 0 || d.cost[i][j] < d.cost[i][pick])) {
                    pick = j;
                }
            }
            t.route(i, pick);
        }
        return t.result("oracle-routing", List.of(), d.m == 2
                ? "routes exactly the queries the SLM gets wrong and the LLM gets right (RouteLLM's oracle)"
                : "per query the cheapest model with the best recorded quality (an upper bound no router reaches)");
    }

    /** Two models: the exact expected value of sending a uniformly random share to the reference. */
    private StrategyResult randomTwo(ReplayData d, StrategyResult routed, List<String> notes) {
        int n = d.n;
        double share = defaultRandomShare;
        if (routed != null) {
            share = routed.largeCalls() / n;
        } else {
            notes.add(String.format(Locale.ROOT, "random-routing is shown at the default LLM-call share "
                    + "%.2f (no --predictor given; change with --random-share)", share));
        }
        double as = 0;
        double al = 0;
        double cs = 0;
        double cl = 0;
        for (int i = 0; i < n; i++) {
            as += d.quality[i][d.floor] / n;
            al += d.quality[i][d.reference] / n;
            cs += d.cost[i][d.floor];
            cl += d.cost[i][d.reference];
        }
        Map<String, Double> calls = new LinkedHashMap<>();
        calls.put(d.models.get(d.floor), (1 - share) * n);
        calls.put(d.models.get(d.reference), share * n);
        return StrategyResult.randomRouting(share, as, al, cs, cl, n).withModelCalls(calls);
    }

    private static List<NotComputable> shepherding(ReplayData d) {
        boolean hints = d.trace.records().stream()
                .anyMatch(r -> r.responses().values().stream().map(Response::hints).anyMatch(h -> !h.isEmpty()));
        String why = hints ? "the trace carries hint levels, which trace replay does not replay yet; a shepherd label "
                + "file replays them with shepherd eval --labels FILE"
                : "the trace holds only full answers: no LLM hint prefixes and no SLM continuation given a hint";
        List<NotComputable> out = new ArrayList<>();
        out.add(new NotComputable("oracle-shepherding", why + (hints ? "" : " (n* labels come from `shepherd label`)")));
        out.add(new NotComputable("proactive-shepherding", why));
        out.add(new NotComputable("reactive-shepherding", why + (hints ? "" : "; also needs K SLM samples per query")));
        return out;
    }

    /** Configures a {@link ReplayEvaluator}. Not thread-safe; each setter validates at once. */
    public static final class Builder {
        private final TokenCounter tokens;
        private final Map<String, LadderPrice> prices = new LinkedHashMap<>();
        private double randomShare = DEFAULT_RANDOM_SHARE;
        private int agreement = DEFAULT_AGREEMENT;
        private double confidence = DEFAULT_CONFIDENCE;

        private Builder(TokenCounter tokens) {
            this.tokens = tokens;
        }

        /** A model's prices (and where they came from, for the report). */
        public Builder price(String model, TokenPrices modelPrices, String from) {
            Objects.requireNonNull(model, "model");
            prices.put(model, new LadderPrice(modelPrices, from));
            return this;
        }

        /** With two models and no router: the LLM-call share of random routing, in [0, 1]; default 0.5. */
        public Builder randomShare(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("defaultRandomShare must be in [0, 1] but was " + share);
            }
            this.randomShare = share;
            return this;
        }

        /** k of the agreement cascade, ≥ 1 (capped at the recorded K); default 3. */
        public Builder agreement(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("agreement must be >= 1 but was " + k);
            }
            this.agreement = k;
            return this;
        }

        /** Threshold of the confidence cascade, in [0, 1]; default 0.8. */
        public Builder confidenceThreshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("confidenceThreshold must be in [0, 1] but was " + threshold);
            }
            this.confidence = threshold;
            return this;
        }

        /** Builds an evaluator that needs a price for every model ({@link #price}). */
        public ReplayEvaluator build() {
            return new ReplayEvaluator(this, null);
        }

        /** Builds an evaluator that prices a two-model trace's models without a {@link #price} as SMALL then LARGE. */
        public ReplayEvaluator build(CostModel twoModelFallback) {
            return new ReplayEvaluator(this, Objects.requireNonNull(twoModelFallback, "twoModelFallback"));
        }
    }
}
