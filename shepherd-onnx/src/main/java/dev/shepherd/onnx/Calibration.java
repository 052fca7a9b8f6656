package dev.shepherd.onnx;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.internal.DecisionSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Calibration without retraining (SHEPHERDING.md §4): with the predictions on validation label records
 * fixed, grid-search α and η_hint and replay each decision on the recorded calls
 * ({@link dev.shepherd.onnx.internal.DecisionSimulator} documents the replay rule: HINT(n) uses the
 * largest recorded level with {@code hint_tokens ≤ n}), to
 * <ol>
 *   <li>{@link #maximiseAccuracy(double)}: the most accurate rule whose mean cost per query stays within a target;</li>
 *   <li>{@link #minimiseCost(double)}: the cheapest rule whose accuracy reaches a floor, e.g.
 *       {@code 0.9 * llmOnly().accuracy()} (the paper's 90 %-of-LLM point).</li>
 * </ol>
 * Ties go to the cheaper (resp. more accurate) rule, then to the larger α. Immutable and thread-safe.
 */
public final class Calibration {

    private final List<LabelRecord> records;
    private final List<HintPrediction> predictions;
    private final CostModel costs;
    private final int maxHint;
    private final double[] alphas;
    private final int[] etas;

    private Calibration(Builder b) {
        this.records = List.copyOf(b.records);
        this.costs = b.costs;
        this.maxHint = b.maxHint;
        this.alphas = b.alphas;
        List<HintPrediction> p = b.predictions;
        if (p == null) {
            List<Query> queries = records.stream().map(r -> Query.of(r.id(), r.query(), r.gold())).toList();
            List<Features> feats = records.stream().map(r -> featuresFor(b.predictor, r)).toList();
            p = b.predictor.predictAll(queries, feats);
        }
        if (p.size() != records.size()) {
            throw new IllegalArgumentException("predictions must match records in size but were " + p.size()
                    + " and " + records.size());
        }
        this.predictions = List.copyOf(p);
        TreeSet<Integer> e = new TreeSet<>();
        for (int eta : b.etas) {
            if (eta <= maxHint) {
                e.add(eta);
            }
        }
        e.add(maxHint);
        this.etas = e.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Features featuresFor(HintPredictor predictor, LabelRecord r) {
        Map<String, Double> f = new java.util.LinkedHashMap<>(r.features());
        f.keySet().retainAll(predictor.requiredFeatures());
        return Features.of(f);
    }

    /** A builder; records and either predictions or a predictor are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The simulated outcome of one rule. */
    public CalibrationResult evaluate(HintDecisionRule rule) {
        Objects.requireNonNull(rule, "rule");
        double quality = 0;
        double cost = 0;
        int slm = 0;
        int hint = 0;
        int llm = 0;
        for (int i = 0; i < records.size(); i++) {
            Decision d = rule.decide(predictions.get(i));
            double[] qc = DecisionSimulator.simulate(records.get(i), d, costs);
            quality += qc[0];
            cost += qc[1];
            switch (d.kind()) {
                case SLM_ONLY -> slm++;
                case HINT -> hint++;
                default -> llm++;
            }
        }
        double n = records.size();
        return new CalibrationResult(rule, quality / n, cost / n, slm / n, hint / n, llm / n);
    }

    /** Every query to the large model's full answer (the rule in the result is nominal: α = 0, η = 1). */
    public CalibrationResult llmOnly() {
        return constant(Decision.llmFull(), new HintDecisionRule(0, 1, maxHint));
    }

    /** Every query to the small model alone (the rule in the result is nominal: α = 1). */
    public CalibrationResult slmOnly() {
        return constant(Decision.slmOnly(), new HintDecisionRule(1, maxHint, maxHint));
    }

    private CalibrationResult constant(Decision d, HintDecisionRule nominal) {
        double quality = 0;
        double cost = 0;
        for (LabelRecord r : records) {
            double[] qc = DecisionSimulator.simulate(r, d, costs);
            quality += qc[0];
            cost += qc[1];
        }
        boolean llm = d.kind() == Decision.Kind.LLM_FULL;
        return new CalibrationResult(nominal, quality / records.size(), cost / records.size(), llm ? 0 : 1, 0,
                llm ? 1 : 0);
    }

    /** Every grid point's outcome (α-major order). */
    public List<CalibrationResult> sweep() {
        List<CalibrationResult> out = new ArrayList<>(alphas.length * etas.length);
        for (double a : alphas) {
            for (int eta : etas) {
                out.add(evaluate(new HintDecisionRule(a, eta, maxHint)));
            }
        }
        return out;
    }

    /**
     * The most accurate rule with mean cost per query ≤ {@code maxMeanCost} dollars.
     *
     * @throws CalibrationException when no grid point is that cheap
     */
    public CalibrationResult maximiseAccuracy(double maxMeanCost) {
        CalibrationResult best = null;
        CalibrationResult cheapest = null;
        for (CalibrationResult r : sweep()) {
            if (cheapest == null || r.meanCost() < cheapest.meanCost()) {
                cheapest = r;
            }
            if (r.meanCost() <= maxMeanCost + 1e-15 && (best == null || r.accuracy() > best.accuracy()
                    || r.accuracy() == best.accuracy() && r.meanCost() < best.meanCost())) {
                best = r;
            }
        }
        if (best == null) {
            throw new CalibrationException("no α/η_hint keeps the mean cost within $" + maxMeanCost
                    + " per query; the cheapest grid point costs $" + cheapest.meanCost() + " (" + cheapest.rule() + ")");
        }
        return best;
    }

    /**
     * The cheapest rule with accuracy ≥ {@code minAccuracy}.
     *
     * @throws CalibrationException when no grid point is that accurate
     */
    public CalibrationResult minimiseCost(double minAccuracy) {
        CalibrationResult best = null;
        CalibrationResult mostAccurate = null;
        for (CalibrationResult r : sweep()) {
            if (mostAccurate == null || r.accuracy() > mostAccurate.accuracy()) {
                mostAccurate = r;
            }
            if (r.accuracy() >= minAccuracy - 1e-12 && (best == null || r.meanCost() < best.meanCost()
                    || r.meanCost() == best.meanCost() && r.accuracy() > best.accuracy())) {
                best = r;
            }
        }
        if (best == null) {
            throw new CalibrationException("no α/η_hint reaches accuracy " + minAccuracy + "; the best grid point reaches "
                    + mostAccurate.accuracy() + " (" + mostAccurate.rule() + ")");
        }
        return best;
    }

    /** Configures a {@link Calibration}. Not thread-safe. */
    public static final class Builder {
        private List<LabelRecord> records;
        private List<HintPrediction> predictions;
        private HintPredictor predictor;
        private CostModel costs;
        private int maxHint = 512;
        private double[] alphas = defaultAlphas();
        private int[] etas = {1, 2, 4, 8, 12, 16, 24, 32, 48, 58, 64, 96, 128, 192, 256, 384, 512};

        private Builder() {
        }

        private static double[] defaultAlphas() {
            double[] a = new double[101];
            for (int i = 0; i <= 100; i++) {
                a[i] = i / 100.0;
            }
            return a;
        }

        /** The validation label records to replay; non-empty. */
        public Builder records(List<LabelRecord> records) {
            Objects.requireNonNull(records, "records");
            if (records.isEmpty()) {
                throw new IllegalArgumentException("records must not be empty");
            }
            this.records = records;
            return this;
        }

        /** Predictions for the records, in the same order (or give a {@link #predictor}). */
        public Builder predictions(List<HintPrediction> predictions) {
            this.predictions = Objects.requireNonNull(predictions, "predictions");
            return this;
        }

        /** A predictor to run on the records' queries and features. */
        public Builder predictor(HintPredictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /** Prices of both sides, e.g. {@code CostModel.localSmall(TokenPrices.paperLlama70b())}. Required. */
        public Builder costModel(CostModel costs) {
            this.costs = Objects.requireNonNull(costs, "costModel");
            return this;
        }

        /** N_max, the clip of the size head; default 512. */
        public Builder maxHint(int maxHint) {
            if (maxHint < 1) {
                throw new IllegalArgumentException("maxHint must be >= 1 but was " + maxHint);
            }
            this.maxHint = maxHint;
            return this;
        }

        /** The α grid, values in [0, 1]; default 0, 0.01, …, 1. */
        public Builder alphaGrid(double... alphas) {
            for (double a : alphas) {
                if (!(a >= 0 && a <= 1)) {
                    throw new IllegalArgumentException("alphaGrid values must be in [0, 1] but one was " + a);
                }
            }
            if (alphas.length == 0) {
                throw new IllegalArgumentException("alphaGrid must not be empty");
            }
            this.alphas = alphas.clone();
            return this;
        }

        /** The η_hint grid, values ≥ 1 (values above N_max are dropped, N_max is always tried). */
        public Builder etaGrid(int... etas) {
            for (int e : etas) {
                if (e < 1) {
                    throw new IllegalArgumentException("etaGrid values must be >= 1 but one was " + e);
                }
            }
            this.etas = etas.clone();
            return this;
        }

        public Calibration build() {
            if (records == null) {
                throw new IllegalStateException("records are required: call records(...)");
            }
            if (costs == null) {
                throw new IllegalStateException("costModel is required: call costModel(...)");
            }
            if (predictions == null && predictor == null) {
                throw new IllegalStateException("predictions or predictor is required");
            }
            return new Calibration(this);
        }
    }
}
