package dev.shepherd.onnx.training;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.onnx.BundleCalibration;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.PredictorUse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calibration without retraining (docs/method.md#calibration): with the predictions on validation label records
 * fixed, grid-search α, η_hint and the hint scale (and, for {@link PredictorUse#REACTIVE}, k) and replay each
 * decision on the
 * recorded calls ({@link DecisionSimulator} documents the replay rule), to
 * <ol>
 *   <li>{@link #maximiseAccuracy(double)}: the most accurate rule whose mean cost per query stays within a target;</li>
 *   <li>{@link #minimiseCost(double)}: the cheapest rule whose accuracy reaches a floor, e.g.
 *       {@code 0.9 * largeOnly().accuracy()} (the paper's 90 %-of-LLM point);</li>
 *   <li>{@link #minimiseCost(double, double)}: the same with the floor held by a margin of standard errors of the
 *       per-query difference, so that a rule chosen on a few hundred records still clears the floor on new
 *       traffic.</li>
 * </ol>
 *
 * <p>Per use:
 * <ul>
 *   <li>{@link PredictorUse#PROACTIVE}: every query is decided by the rule; SLM alone replays level 0.</li>
 *   <li>{@link PredictorUse#ROUTING}: P ≥ α sends the whole query to the large model, else the small model alone
 *       (η is irrelevant).</li>
 *   <li>{@link PredictorUse#REACTIVE}: the agreement gate is replayed from the recorded K samples — when at least k
 *       of them agree on an answer, that sample is the answer and nothing else is paid; otherwise the rule decides,
 *       with SLM alone reusing the plurality sample. The K samples' small-model cost is paid for every query.</li>
 * </ul>
 * When the records stopped labelling at the first passing hint level, a hint of n tokens replays the largest
 * recorded level ≤ n, which assumes a longer hint never hurts; {@link #assumptions()} says so. Ties go to the
 * cheaper (resp. more accurate) rule, then to the larger α. Immutable and thread-safe.
 */
public final class Calibration {

    private final List<LabelRecord> records;
    private final List<HintPrediction> predictions;
    private final CostModel costs;
    private final PredictorUse use;
    private final int maxHint;
    private final double[] alphas;
    private final int[] etas;
    private final int[] agreements;
    private final double[] scales;
    private final double[] fixedCost;
    /** Reactive use: per k of the grid, the agreed sample's quality per record, NaN where fewer than k agree. */
    private final Map<Integer, double[]> agreedQuality = new ConcurrentHashMap<>();
    /** Reactive use: the plurality sample's quality per record (what SLM alone returns after a disagreement). */
    private final double[] pluralityQuality;

    private Calibration(Builder b) {
        this.records = List.copyOf(b.records);
        this.costs = b.costs;
        this.use = b.use;
        this.maxHint = b.maxHint;
        this.alphas = b.alphas;
        if (use == PredictorUse.REACTIVE) {
            for (LabelRecord r : records) {
                if (!r.hasSamples()) {
                    throw new DataFormatException("record '" + r.id() + "' has no small-model samples, so the "
                            + "agreement gate of reactive shepherding cannot be replayed; label with shepherd label "
                            + "--samples 3");
                }
            }
        }
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
        this.etas = use == PredictorUse.ROUTING ? new int[] {maxHint} : e.stream().mapToInt(Integer::intValue).toArray();
        this.agreements = use == PredictorUse.REACTIVE ? agreementGrid(b.agreements, records) : new int[] {0};
        this.scales = use == PredictorUse.ROUTING ? new double[] {1.0} : b.scales.clone();
        this.fixedCost = new double[records.size()];
        this.pluralityQuality = new double[records.size()];
        for (int i = 0; i < records.size(); i++) {
            boolean reactive = use == PredictorUse.REACTIVE;
            fixedCost[i] = reactive ? samplesCost(records.get(i)) : 0;
            pluralityQuality[i] = reactive ? records.get(i).plurality().quality() : Double.NaN;
        }
        if (use == PredictorUse.REACTIVE) { // the gate's outcome depends on k only: computed once, not per rule
            for (int k : agreements) {
                agreedQuality(k);
            }
        }
    }

    private static int[] agreementGrid(int[] asked, List<LabelRecord> records) {
        int k = records.stream().mapToInt(r -> r.samples().size()).min().orElse(0);
        if (asked != null) {
            for (int a : asked) {
                if (a < 1 || a > k) {
                    throw new IllegalArgumentException("agreement k must be in [1, " + k + "] (the fewest samples a "
                            + "record has) but was " + a);
                }
            }
            return asked.clone();
        }
        // k = 1 would accept any sample: no gate. The paper uses a majority up to all K.
        int from = Math.min(k, k / 2 + 1);
        int[] out = new int[k - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private double samplesCost(LabelRecord r) {
        double c = 0;
        for (LabelRecord.Sample s : r.samples()) {
            c += costs.cost(ModelRole.SMALL, s.inputTokens(), s.outputTokens());
        }
        return c;
    }

    private static Features featuresFor(HintPredictor predictor, LabelRecord r) {
        Map<String, Double> f = new LinkedHashMap<>(r.features());
        f.keySet().retainAll(predictor.requiredFeatures());
        return Features.of(f);
    }

    /** A builder; records and either predictions or a predictor are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many records are replayed. */
    public int records() {
        return records.size();
    }

    /** What this calibration serves. */
    public PredictorUse use() {
        return use;
    }

    /** What the replay assumes about the records, in words (empty when nothing). */
    public List<String> assumptions() {
        List<String> out = new ArrayList<>();
        long partial = records.stream().filter(r -> !r.allLevels()).count();
        if (partial > 0 && use != PredictorUse.ROUTING) {
            out.add(partial + " of " + records.size() + " records stopped at the first passing hint level, so a hint "
                    + "of n tokens replays the largest recorded level <= n: longer hints are assumed never to hurt "
                    + "(label with --all-levels to replay what each level really did)");
        }
        return out;
    }

    /** The simulated outcome of one rule (reactive: with the smallest k of the grid). */
    public CalibrationResult evaluate(HintDecisionRule rule) {
        return evaluate(rule, agreements[0]);
    }

    /** The simulated outcome of one rule and agreement k (ignored unless the use is reactive). */
    public CalibrationResult evaluate(HintDecisionRule rule, int agreement) {
        return run(rule, agreement, null, 0).result;
    }

    private record Run(CalibrationResult result, double marginMean, double marginSe) {
    }

    /** Replays a rule; with {@code reference} also the mean and standard error of q_i − share · reference_i. */
    private Run run(HintDecisionRule rule, int k, double[] reference, double share) {
        Objects.requireNonNull(rule, "rule");
        double quality = 0;
        double cost = 0;
        int slm = 0;
        int hint = 0;
        int llm = 0;
        double sum = 0;
        double sumSq = 0;
        double[] agreed = use == PredictorUse.REACTIVE ? agreedQuality(k) : null;
        for (int i = 0; i < records.size(); i++) {
            LabelRecord r = records.get(i);
            double q;
            double c = fixedCost[i];
            if (agreed != null && !Double.isNaN(agreed[i])) {
                q = agreed[i];
                slm++;
            } else {
                Decision d = decide(rule, predictions.get(i));
                if (d.kind() == Decision.Kind.SMALL_ONLY && use == PredictorUse.REACTIVE) {
                    q = pluralityQuality[i];
                } else {
                    double[] qc = DecisionSimulator.simulate(r, d, costs);
                    q = qc[0];
                    c += qc[1];
                }
                switch (d.kind()) {
                    case SMALL_ONLY -> slm++;
                    case HINT -> hint++;
                    default -> llm++;
                }
            }
            quality += q;
            cost += c;
            if (reference != null) {
                double d = q - share * reference[i];
                sum += d;
                sumSq += d * d;
            }
        }
        double n = records.size();
        double mean = sum / n;
        double var = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
        return new Run(new CalibrationResult(rule, quality / n, cost / n, slm / n, hint / n, llm / n,
                use == PredictorUse.REACTIVE ? k : 0), mean, Math.sqrt(var / n));
    }

    /** The gate's outcomes for k; a k outside the grid (a direct {@link #evaluate(HintDecisionRule, int)}) is computed. */
    private double[] agreedQuality(int k) {
        return agreedQuality.computeIfAbsent(k, kk -> {
            double[] q = new double[records.size()];
            for (int i = 0; i < q.length; i++) {
                q[i] = records.get(i).agreed(kk).map(LabelRecord.Sample::quality).orElse(Double.NaN);
            }
            return q;
        });
    }

    private Decision decide(HintDecisionRule rule, HintPrediction p) {
        if (use == PredictorUse.ROUTING) {
            return p.needProbability() >= rule.alpha() ? Decision.largeFull() : Decision.smallOnly();
        }
        return rule.decide(p);
    }

    /** Every query to the large model's full answer (the rule in the result is nominal: α = 0, η = 1). */
    public CalibrationResult largeOnly() {
        return constant(Decision.largeFull(), new HintDecisionRule(0, 1, maxHint));
    }

    /** Every query to the small model alone (the rule in the result is nominal: α = 1). */
    public CalibrationResult smallOnly() {
        return constant(Decision.smallOnly(), new HintDecisionRule(1, maxHint, maxHint));
    }

    private double[] largeQualities() {
        double[] q = new double[records.size()];
        for (int i = 0; i < q.length; i++) {
            q[i] = records.get(i).largeFull().quality();
        }
        return q;
    }

    private CalibrationResult constant(Decision d, HintDecisionRule nominal) {
        double quality = 0;
        double cost = 0;
        for (LabelRecord r : records) {
            double[] qc = DecisionSimulator.simulate(r, d, costs);
            quality += qc[0];
            cost += qc[1];
        }
        boolean llm = d.kind() == Decision.Kind.LARGE_FULL;
        return new CalibrationResult(nominal, quality / records.size(), cost / records.size(), llm ? 0 : 1, 0,
                llm ? 1 : 0, 0);
    }

    /** Every grid point's outcome (k-major, then α, then η, then the hint scale). */
    public List<CalibrationResult> sweep() {
        List<CalibrationResult> out = new ArrayList<>();
        for (int k : agreements) {
            for (double a : alphas) {
                for (int eta : etas) {
                    for (double s : scales) {
                        out.add(evaluate(new HintDecisionRule(a, eta, maxHint, s), k));
                    }
                }
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
            if (r.accuracy() >= minAccuracy - 1e-12 && better(r, best)) {
                best = r;
            }
        }
        if (best == null) {
            throw new CalibrationException("no α/η_hint reaches accuracy " + minAccuracy + "; the best grid point reaches "
                    + mostAccurate.accuracy() + " (" + mostAccurate.rule() + ")");
        }
        return best;
    }

    /**
     * The cheapest rule whose accuracy reaches {@code share} × the large model's accuracy on the records with a
     * margin: per record, d = quality − share · (large model's quality), and the rule must have
     * mean(d) − {@code marginSe} · SE(d) ≥ 0. With {@code marginSe = 0} this is
     * {@code minimiseCost(share * largeOnly().accuracy())}; a margin of one standard error makes it likely that the
     * floor also holds on new queries. When no rule clears the margin, the rule with the best lower bound is
     * returned (the caller can compare its accuracy with the floor).
     *
     * @param share    the share of LLM-only accuracy to reach, in (0, 1]
     * @param marginSe how many standard errors of the per-query difference to keep above the floor, ≥ 0
     */
    public CalibrationResult minimiseCost(double share, double marginSe) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1] but was " + share);
        }
        if (!(marginSe >= 0)) {
            throw new IllegalArgumentException("marginSe must be >= 0 but was " + marginSe);
        }
        double[] reference = largeQualities();
        CalibrationResult best = null;
        Run safest = null;
        for (int k : agreements) {
            for (double a : alphas) {
                for (int eta : etas) {
                    for (double s : scales) {
                        Run r = run(new HintDecisionRule(a, eta, maxHint, s), k, reference, share);
                        double lower = r.marginMean() - marginSe * r.marginSe();
                        if (safest == null || lower > safest.marginMean() - marginSe * safest.marginSe() + 1e-12) {
                            safest = r;
                        }
                        if (lower >= -1e-12 && better(r.result(), best)) {
                            best = r.result();
                        }
                    }
                }
            }
        }
        return best != null ? best : safest.result();
    }

    /**
     * What {@code shepherd calibrate} stores by default: the rule of {@link #minimiseCost(double, double)} (with k
     * for reactive shepherding) as a bundle entry, with what it measured, the objective in words and, when no rule
     * reaches the floor, a note saying so.
     */
    public BundleCalibration.Entry cheapestReaching(double share, double marginSe) {
        CalibrationResult r = minimiseCost(share, marginSe);
        String objective = String.format(Locale.ROOT, "min cost at accuracy >= %s x LLM-only%s", share,
                marginSe > 0 ? " with a margin of " + marginSe + " standard error(s)" : "");
        List<String> notes = new ArrayList<>(assumptions());
        double floor = share * largeOnly().accuracy();
        if (r.accuracy() < floor - 1e-12) {
            notes.add(String.format(Locale.ROOT, "no rule reaches the floor %.3f on these records; "
                    + "this is the rule with the best lower bound (accuracy %.3f)", floor, r.accuracy()));
        }
        return entry(r, objective, notes);
    }

    /**
     * The rule of {@link #maximiseAccuracy(double)} as a bundle entry.
     *
     * @throws CalibrationException when no grid point is that cheap
     */
    public BundleCalibration.Entry mostAccurateWithin(double maxMeanCost) {
        return entry(maximiseAccuracy(maxMeanCost), "max accuracy at mean cost <= " + maxMeanCost, assumptions());
    }

    private BundleCalibration.Entry entry(CalibrationResult r, String objective, List<String> notes) {
        return new BundleCalibration.Entry(r.rule(), use == PredictorUse.REACTIVE ? r.agreement() : null, null,
                r.accuracy(), r.meanCost(), records.size(), objective, notes);
    }

    private static boolean better(CalibrationResult r, CalibrationResult best) {
        return best == null || r.meanCost() < best.meanCost() - 1e-15
                || Math.abs(r.meanCost() - best.meanCost()) <= 1e-15 && r.accuracy() > best.accuracy();
    }

    /** Configures a {@link Calibration}. Not thread-safe. */
    public static final class Builder {
        private List<LabelRecord> records;
        private List<HintPrediction> predictions;
        private HintPredictor predictor;
        private CostModel costs;
        private PredictorUse use = PredictorUse.PROACTIVE;
        private int maxHint = 512;
        private double[] alphas = defaultAlphas();
        private int[] etas = {1, 2, 4, 8, 12, 16, 24, 32, 48, 58, 64, 96, 128, 192, 256, 384, 512};
        private int[] agreements;
        private double[] scales = {1.0, 1.5, 2.0, 3.0};

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

        /** What the rule will serve; {@link PredictorUse#PROACTIVE} by default. */
        public Builder use(PredictorUse use) {
            this.use = Objects.requireNonNull(use, "use");
            return this;
        }

        /**
         * The k values to try for {@link PredictorUse#REACTIVE} (each in [1, K]); default: every majority up to all
         * K samples.
         */
        public Builder agreementGrid(int... agreements) {
            if (agreements.length == 0) {
                throw new IllegalArgumentException("agreementGrid must not be empty");
            }
            this.agreements = agreements.clone();
            return this;
        }

        /**
         * The hint scales s to try ({@link HintDecisionRule#hintScale()}), each in (0, 100]; default 1, 1.5, 2, 3.
         * {@code scaleGrid(1)} keeps the paper's rule.
         */
        public Builder scaleGrid(double... scales) {
            if (scales.length == 0) {
                throw new IllegalArgumentException("scaleGrid must not be empty");
            }
            for (double s : scales) {
                if (!(s > 0 && s <= 100)) {
                    throw new IllegalArgumentException("scaleGrid values must be in (0, 100] but one was " + s);
                }
            }
            this.scales = scales.clone();
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
