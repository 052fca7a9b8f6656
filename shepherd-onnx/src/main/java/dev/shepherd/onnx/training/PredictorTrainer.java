package dev.shepherd.onnx.training;

import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.ValidationMetrics;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.HeadsWeights;
import dev.shepherd.onnx.internal.LinearHead;
import dev.shepherd.onnx.internal.Metrics;
import dev.shepherd.onnx.internal.SingleFeatureHead;
import dev.shepherd.onnx.internal.StratifiedFolds;
import dev.shepherd.onnx.internal.TrainingLoop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the two-stage predictor's heads (docs/method.md#predictor) in plain Java over a frozen encoder:
 * the encoder embeds each query once, then small heads learn y = 1[n* &gt; 0] (need-hint logit) and
 * r = log(1 + n*) (size, positives only) from the embedding fused with standardised numeric features.
 * Loss λ·BCE + (1−λ)·SmoothL1, AdamW, EMA weights, class-balanced batches, multi-sample dropout,
 * early stopping on a stratified validation split. The same seed and examples give the same weights.
 *
 * <pre>{@code
 * TrainedPredictor p = PredictorTrainer.builder(encoder)
 *         .featureNames(List.of(Features.QUERY_LENGTH, Features.MEAN_ENTROPY))
 *         .seed(7).build()
 *         .train(LabelFile.read(labels).stream().filter(LabelRecord::keep).map(LabelRecord::toExample).toList());
 * p.export(bundleDir);
 * }</pre>
 *
 * <p>Immutable and thread-safe once built; {@link #train} runs single-threaded.
 */
public final class PredictorTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(PredictorTrainer.class);
    private static final int ENCODE_BATCH = 32;

    private final QueryEncoder encoder;
    private final List<String> featureNames;
    private final TrainingLoop.Config config;
    private final double validationFraction;
    private final HintDecisionRule rule;
    private final int cvFolds;
    private final List<HeadCandidate> candidates;

    private PredictorTrainer(Builder b) {
        this.encoder = b.encoder;
        this.featureNames = List.copyOf(b.featureNames);
        this.config = new TrainingLoop.Config(b.seed, b.lambda, b.learningRate, b.weightDecay, b.batchSize,
                b.maxEpochs, b.patience, b.emaDecay, b.hidden, b.featureHidden, b.dropout, b.dropoutSamples, true, true);
        this.validationFraction = b.validationFraction;
        this.rule = b.rule;
        this.cvFolds = b.cvFolds;
        HeadCandidate configured = HeadCandidate.network("configured", b.hidden, b.featureHidden, b.dropout,
                b.weightDecay, b.learningRate);
        List<HeadCandidate> grid = new ArrayList<>(b.candidates == null ? defaultCandidates() : b.candidates);
        if (b.candidates == null && b.lambda < 1) {
            // Shepherding needs the size head; only the networks learn it (the others carry a constant size).
            grid.removeIf(c -> c.kind() != HeadCandidate.Kind.NETWORK);
            grid.add(0, HeadCandidate.featuresOnly("features-network", 16, 8, 0.3, 0.05, 1e-3));
        }
        if (b.candidates == null || grid.isEmpty()) {
            grid.add(configured);
        }
        // without cross-validation the configured network is trained as before
        this.candidates = b.cvFolds >= 2 ? List.copyOf(grid) : List.of(configured);
    }

    /**
     * The default grid of a router (λ = 1), simplest first (the one-standard-error rule keeps the simpler one),
     * besides the configured
     * network, which comes last: the single best cheap feature; the answer-length model (when the examples record
     * the large model's answer length); logistic regressions on the features only (embedding off),
     * weakly and strongly penalised; logistic regressions on embedding + features with a strong and a very
     * strong L2; a narrow, heavily regularised network over the embedding. A trainer with λ &lt; 1 (a size head
     * to learn, for shepherding) keeps only the networks and adds a small features-only network first, since the
     * linear and single-feature models carry a constant hint size.
     */
    public static List<HeadCandidate> defaultCandidates() {
        return List.of(HeadCandidate.singleFeature(),
                HeadCandidate.answerLength("answer-length", 1),
                HeadCandidate.linear("features-linear-strong", false, 10),
                HeadCandidate.linear("features-linear", false, 1),
                HeadCandidate.linear("features-linear-weak", false, 0.1),
                HeadCandidate.linear("embedding-linear-strong", true, 1000),
                HeadCandidate.network("embedding-narrow", 16, 8, 0.5, 0.1, 1e-3));
    }

    /** A builder over the given (not owned) encoder. */
    public static Builder builder(QueryEncoder encoder) {
        return new Builder(Objects.requireNonNull(encoder, "encoder"));
    }

    /** The numeric features the heads read, in input order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The encoder this trainer embeds queries with. */
    public QueryEncoder encoder() {
        return encoder;
    }

    /** Embeds every example's query (in batches); reusable across {@link #train(EncodedExamples)} calls. */
    public EncodedExamples encode(List<LabeledExample> examples) {
        Objects.requireNonNull(examples, "examples");
        // batches of similar length waste less work on padding
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> examples.get(i).query().length()));
        EncodedText[] out = new EncodedText[examples.size()];
        for (int from = 0; from < order.length; from += ENCODE_BATCH) {
            int to = Math.min(from + ENCODE_BATCH, order.length);
            List<String> texts = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                texts.add(examples.get(order[k]).query());
            }
            List<EncodedText> enc = encoder.encodeAll(texts);
            for (int k = from; k < to; k++) {
                out[order[k]] = enc.get(k - from);
            }
        }
        return new EncodedExamples(encoder.id(), examples, Arrays.asList(out));
    }

    /**
     * Encodes and trains.
     *
     * @throws DataFormatException for an empty or single-class set, or a non-finite / missing feature
     */
    public TrainedPredictor train(List<LabeledExample> examples) {
        check(examples);
        return train(encode(examples));
    }

    /**
     * Trains on already encoded examples: splits off the validation share, picks the candidate with the best
     * mean out-of-fold ROC-AUC in k-fold cross-validation over the training split (see {@link ModelSelection}),
     * then trains it on the training split with early stopping on the validation split.
     *
     * @throws DataFormatException for an empty or single-class set, or a non-finite / missing feature
     */
    public TrainedPredictor train(EncodedExamples data) {
        Objects.requireNonNull(data, "data");
        if (!data.encoderId().equals(encoder.id())) {
            throw new IllegalArgumentException("data was encoded by '" + data.encoderId()
                    + "' but this trainer uses encoder '" + encoder.id() + "'");
        }
        check(data.examples());
        int n = data.size();
        float[][] emb = new float[n][];
        double[][] x = new double[n][];
        int[] y = new int[n];
        double[] r = new double[n];
        double[] answer = new double[n];
        for (int i = 0; i < n; i++) {
            LabeledExample ex = data.example(i);
            answer[i] = ex.largeAnswerTokens();
            emb[i] = data.encoded(i).vector();
            x[i] = features(ex, data.encoded(i).tokens());
            y[i] = ex.needsHint() ? 1 : 0;
            r[i] = Math.log1p(ex.nStar());
        }
        int[][] split = split(y);
        long start = System.nanoTime();
        Data d = new Data(emb, x, y, r, answer);
        List<ModelSelection.Scored> scored = new ArrayList<>();
        HeadCandidate chosen = candidates.get(candidates.size() - 1);
        Map<String, Double> oof = new LinkedHashMap<>();
        int k = foldsFor(y, split[0]);
        if (k >= 2 && candidates.size() > 1) {
            int[] fold = folds(y, split[0], k);
            double bestAuc = Double.NEGATIVE_INFINITY;
            double bestSe = 0;
            double[][] oofs = new double[candidates.size()][];
            for (int c = 0; c < candidates.size(); c++) {
                oofs[c] = new double[n];
                HeadCandidate cand = candidates.get(c);
                if (cand.kind() == HeadCandidate.Kind.ANSWER_LENGTH && !d.hasAnswers(split[0])) {
                    scored.add(new ModelSelection.Scored(cand, Double.NaN, Double.NaN));
                    LOG.info("candidate {}: skipped (the examples do not record the large model's answer length)", cand);
                    continue;
                }
                double[] perFold = new double[k];
                double auc = crossValidate(cand, d, split[0], fold, k, oofs[c], perFold);
                double se = standardError(perFold);
                scored.add(new ModelSelection.Scored(cand, auc, se));
                LOG.info("candidate {}: mean out-of-fold ROC-AUC {} (standard error {})", cand, auc, se);
                if (auc > bestAuc + 1e-9) {
                    bestAuc = auc;
                    bestSe = Double.isNaN(se) ? 0 : se;
                }
            }
            // one-standard-error rule: the simplest candidate within one standard error of the best mean
            for (ModelSelection.Scored sc : scored) {
                if (!Double.isNaN(sc.meanAuc()) && sc.meanAuc() >= bestAuc - bestSe - 1e-9) {
                    chosen = sc.candidate();
                    break;
                }
            }
            for (int i : split[0]) {
                oof.put(data.example(i).id(), oofs[candidates.indexOf(chosen)][i]);
            }
        } else {
            k = 0;
            candidates.forEach(c -> scored.add(new ModelSelection.Scored(c, Double.NaN)));
        }
        Fit fit = fit(chosen, d, split[0], split[1], config.seed());
        // the single cheap feature that ranks the training rows best: what the head must not lose to
        int[] best = SingleFeatureHead.best(x, y, split[0]);
        Map<String, Double> featureAucs = new LinkedHashMap<>();
        int[] trainSign = new int[featureNames.size()];
        for (int j = 0; j < featureNames.size(); j++) {
            double a = SingleFeatureHead.auc(x, y, split[0], j);
            trainSign[j] = Double.isNaN(a) || a >= 0.5 ? 1 : -1;
            double v = SingleFeatureHead.auc(x, y, split[1], j);
            featureAucs.put(featureNames.get(j), trainSign[j] > 0 ? v : 1 - v);
        }
        double baseline = featureAucs.get(featureNames.get(best[0]));
        boolean fellBack = false;
        // A single feature cannot size hints: with a size head to learn (λ < 1) the network stays, and train prints
        // the baseline beside it.
        if (config.lambda() >= 1 && chosen.kind() == HeadCandidate.Kind.NETWORK
                && fit.metrics.rocAuc() < baseline - 1e-12) {
            LOG.info("{} scored validation ROC-AUC {} below the single feature {} ({}): keeping the single-feature "
                    + "model", chosen, fit.metrics.rocAuc(), featureNames.get(best[0]), baseline);
            HeadCandidate single = HeadCandidate.singleFeature();
            fit = fit(single, d, split[0], split[1], config.seed());
            fellBack = true;
            if (k >= 2 && candidates.contains(single)) {
                double[] o = new double[n];
                crossValidate(single, d, split[0], folds(y, split[0], k), k, o, new double[k]);
                oof.clear();
                for (int i : split[0]) {
                    oof.put(data.example(i).id(), o[i]);
                }
            } else {
                oof.clear();
            }
            chosen = single;
        }
        ModelSelection selection = new ModelSelection(k, scored, chosen, fellBack, featureNames.get(best[0]), baseline,
                featureAucs, oof);
        LOG.info("trained heads ({}) on {} examples ({} validation) in {} ms: {}; best single feature {} ROC-AUC {}",
                chosen, split[0].length, split[1].length, (System.nanoTime() - start) / 1_000_000, fit.metrics,
                featureNames.get(best[0]), baseline);
        List<String> validationIds = new ArrayList<>();
        for (int i : split[1]) {
            validationIds.add(data.example(i).id());
        }
        return new TrainedPredictor(encoder, featureNames, fit.weights, rule, fit.metrics, Instant.now(),
                validationIds, config.seed(), selection);
    }

    private record Data(float[][] emb, double[][] x, int[] y, double[] r, double[] answer) {

        boolean hasAnswers(int[] rows) {
            for (int i : rows) {
                if (Double.isNaN(answer[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Fit(HeadsWeights weights, ValidationMetrics metrics) {
    }

    /** Standard error of the mean of the finite values (NaN with fewer than two). */
    private static double standardError(double[] v) {
        double sum = 0;
        int m = 0;
        for (double a : v) {
            if (!Double.isNaN(a)) {
                sum += a;
                m++;
            }
        }
        if (m < 2) {
            return Double.NaN;
        }
        double mean = sum / m;
        double ss = 0;
        for (double a : v) {
            if (!Double.isNaN(a)) {
                ss += (a - mean) * (a - mean);
            }
        }
        return Math.sqrt(ss / (m - 1) / m);
    }

    /** Mean per-fold ROC-AUC of the candidate; fills {@code oof} for the training rows and {@code perFold}. */
    private double crossValidate(HeadCandidate c, Data d, int[] train, int[] fold, int k, double[] oof,
                                 double[] perFold) {
        double sum = 0;
        int counted = 0;
        for (int f = 0; f < k; f++) {
            List<Integer> in = new ArrayList<>();
            List<Integer> out = new ArrayList<>();
            for (int t = 0; t < train.length; t++) {
                (fold[t] == f ? out : in).add(train[t]);
            }
            int[] fitRows = in.stream().mapToInt(Integer::intValue).toArray();
            int[] testRows = out.stream().mapToInt(Integer::intValue).toArray();
            HeadsWeights w = fit(c, d, fitRows, testRows, config.seed() + 7919L * (f + 1)).weights;
            double[] s = new double[testRows.length];
            boolean[] l = new boolean[testRows.length];
            for (int t = 0; t < testRows.length; t++) {
                s[t] = w.forward(d.emb[testRows[t]], d.x[testRows[t]])[0];
                l[t] = d.y[testRows[t]] == 1;
                oof[testRows[t]] = s[t];
            }
            double auc = Metrics.rocAuc(s, l);
            perFold[f] = auc;
            if (!Double.isNaN(auc)) {
                sum += auc;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    private Fit fit(HeadCandidate c, Data d, int[] train, int[] val, long seed) {
        if (c.kind() == HeadCandidate.Kind.SINGLE_FEATURE) {
            HeadsWeights w = SingleFeatureHead.fit(d.emb[0].length, d.x, d.y, d.r, train);
            return new Fit(w, metrics(w, d, train.length, val));
        }
        if (c.kind() == HeadCandidate.Kind.ANSWER_LENGTH) {
            if (!d.hasAnswers(train)) {
                throw new DataFormatException("candidate " + c.name() + " needs the large model's answer length "
                        + "(LabeledExample.largeAnswerTokens) on every training example");
            }
            HeadsWeights w = LinearHead.fitThroughAnswerLength(d.emb[0].length, d.x, d.y, d.r, d.answer, train, c.l2());
            return new Fit(w, metrics(w, d, train.length, val));
        }
        if (c.kind() == HeadCandidate.Kind.LINEAR) {
            HeadsWeights w = LinearHead.fit(d.emb, d.x, d.y, d.r, train, c.useEmbedding(), c.l2());
            return new Fit(w, metrics(w, d, train.length, val));
        }
        TrainingLoop.Config cfg = new TrainingLoop.Config(seed, config.lambda(), c.learningRate(), c.weightDecay(),
                config.batchSize(), config.maxEpochs(), config.patience(), config.emaDecay(), c.hidden(),
                c.featureHidden(), c.dropout(), config.dropoutSamples(), config.balanced(), c.useEmbedding());
        TrainingLoop.Result res = new TrainingLoop(cfg, d.emb, d.x, d.y, d.r).run(train, val);
        return new Fit(res.weights(), res.metrics());
    }

    private static ValidationMetrics metrics(HeadsWeights w, Data d, int trainExamples, int[] val) {
        double[] s = new double[val.length];
        boolean[] l = new boolean[val.length];
        double bce = 0;
        double mae = 0;
        int positives = 0;
        for (int t = 0; t < val.length; t++) {
            int i = val[t];
            double[] o = w.forward(d.emb[i], d.x[i]);
            s[t] = o[0];
            l[t] = d.y[i] == 1;
            double p = Math.min(Math.max(1 / (1 + Math.exp(-o[0])), 1e-7), 1 - 1e-7);
            bce -= l[t] ? Math.log(p) : Math.log(1 - p);
            if (l[t]) {
                positives++;
                mae += Math.abs(o[1] - d.r[i]);
            }
        }
        return new ValidationMetrics(val.length == 0 ? Double.NaN : Metrics.rocAuc(s, l),
                val.length == 0 ? Double.NaN : bce / val.length, positives == 0 ? Double.NaN : mae / positives,
                trainExamples, val.length, 1, 1);
    }

    private int foldsFor(int[] y, int[] train) {
        int pos = 0;
        for (int i : train) {
            pos += y[i];
        }
        return Math.min(cvFolds, Math.min(pos, train.length - pos));
    }

    /** Stratified, seeded fold of each training row (indexed like {@code train}). */
    private int[] folds(int[] y, int[] train, int k) {
        int[] labels = new int[train.length];
        for (int t = 0; t < train.length; t++) {
            labels[t] = y[train[t]];
        }
        return StratifiedFolds.assign(labels, k, config.seed() ^ 0x9E3779B97F4A7C15L);
    }

    private double[] features(LabeledExample ex, int tokens) {
        for (Map.Entry<String, Double> e : ex.features().entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new DataFormatException("example '" + ex.id() + "': feature '" + e.getKey()
                        + "' must be finite but was " + e.getValue());
            }
        }
        Map<String, Double> relevant = new LinkedHashMap<>(ex.features());
        relevant.keySet().retainAll(featureNames);
        try {
            return FeatureVector.assemble(featureNames, relevant, tokens, ex.query(), "trainer");
        } catch (IllegalArgumentException e) {
            throw new DataFormatException("example '" + ex.id() + "': " + e.getMessage());
        }
    }

    private static void check(List<LabeledExample> examples) {
        Objects.requireNonNull(examples, "examples");
        if (examples.isEmpty()) {
            throw new DataFormatException("training set is empty: at least one query that needs a hint and one "
                    + "that does not are required");
        }
        long positives = examples.stream().filter(LabeledExample::needsHint).count();
        if (positives == 0 || positives == examples.size()) {
            throw new DataFormatException("training set has a single class: all " + examples.size()
                    + " examples have " + (positives == 0 ? "n_star = 0 (no hint needed)" : "n_star > 0 (hint needed)")
                    + "; the need-hint head needs both");
        }
    }

    /** Stratified, seeded {train, validation} index split; each class keeps ≥ 1 training row. */
    private int[][] split(int[] y) {
        SplittableRandom rng = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        for (int cls = 0; cls <= 1; cls++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == cls) {
                    rows.add(i);
                }
            }
            for (int i = rows.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Integer t = rows.get(i);
                rows.set(i, rows.get(j));
                rows.set(j, t);
            }
            int nVal = (int) Math.round(validationFraction * rows.size());
            nVal = Math.min(nVal, rows.size() - 1);
            val.addAll(rows.subList(0, nVal));
            train.addAll(rows.subList(nVal, rows.size()));
        }
        return new int[][] {train.stream().mapToInt(Integer::intValue).sorted().toArray(),
            val.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    /** Configures a {@link PredictorTrainer}. Not thread-safe; each setter validates at once. */
    public static final class Builder {
        private final QueryEncoder encoder;
        private List<String> featureNames = QueryFeatures.DEFAULT;
        private long seed = 42;
        private double lambda = 0.5;
        private double learningRate = 1e-3;
        private double weightDecay = 0.01;
        private int batchSize = 32;
        private int maxEpochs = 60;
        private int patience = 8;
        private double emaDecay = 0.98;
        private int hidden = 64;
        private int featureHidden = 16;
        private double dropout = 0.1;
        private int dropoutSamples = 5;
        private double validationFraction = 0.2;
        private HintDecisionRule rule = HintDecisionRule.paperGsm8k();
        private int cvFolds = 0;
        private List<HeadCandidate> candidates;

        private Builder(QueryEncoder encoder) {
            this.encoder = encoder;
        }

        /**
         * Numeric features, in input order; default {@link QueryFeatures#DEFAULT}: {@code query_length}
         * (computed by the encoder) and the cheap {@link QueryFeatures} (computed from the query text).
         * Reactive bundles add {@link Features#MEAN_ENTROPY} and {@link Features#MEAN_OUTPUT_LENGTH}.
         */
        public Builder featureNames(List<String> names) {
            Objects.requireNonNull(names, "featureNames");
            if (names.isEmpty() || names.stream().distinct().count() != names.size()
                    || names.stream().anyMatch(s -> s == null || s.isBlank() || s.contains(","))) {
                throw new IllegalArgumentException("featureNames must be non-empty, distinct, non-blank and "
                        + "comma-free but were " + names);
            }
            this.featureNames = List.copyOf(names);
            return this;
        }

        /** Seed of initialisation, sampling, dropout and the validation split; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** λ in [0, 1] weighting BCE against SmoothL1; default 0.5. λ = 1 trains a pure router. */
        public Builder lambda(double lambda) {
            this.lambda = in("lambda", lambda, 0, 1);
            return this;
        }

        /** AdamW learning rate in (0, 1]; default 1e-3. */
        public Builder learningRate(double lr) {
            this.learningRate = positive("learningRate", lr, 1);
            return this;
        }

        /** AdamW decoupled weight decay in [0, 1); default 0.01. */
        public Builder weightDecay(double wd) {
            this.weightDecay = in("weightDecay", wd, 0, 0.999);
            return this;
        }

        public Builder batchSize(int n) {
            this.batchSize = (int) positive("batchSize", n, 65_536);
            return this;
        }

        /** Upper bound on epochs; default 60. */
        public Builder maxEpochs(int n) {
            this.maxEpochs = (int) positive("maxEpochs", n, 100_000);
            return this;
        }

        /** Epochs without validation improvement before stopping; default 8. */
        public Builder patience(int n) {
            this.patience = (int) positive("patience", n, 100_000);
            return this;
        }

        /** EMA decay in [0, 1); default 0.98. */
        public Builder emaDecay(double d) {
            this.emaDecay = in("emaDecay", d, 0, 0.99999);
            return this;
        }

        /** Width of the fused trunk; default 64. */
        public Builder hidden(int n) {
            this.hidden = (int) positive("hidden", n, 8192);
            return this;
        }

        /** Width of the feature MLP; default 16. */
        public Builder featureHidden(int n) {
            this.featureHidden = (int) positive("featureHidden", n, 1024);
            return this;
        }

        /** Dropout rate in [0, 0.9] and number of dropout samples averaged on the need-hint head. */
        public Builder multiSampleDropout(double rate, int samples) {
            this.dropout = in("dropout", rate, 0, 0.9);
            this.dropoutSamples = (int) positive("dropoutSamples", samples, 64);
            return this;
        }

        /** Share held out for early stopping and metrics, in [0, 0.9]; default 0.2. */
        public Builder validationFraction(double f) {
            this.validationFraction = in("validationFraction", f, 0, 0.9);
            return this;
        }

        /** The α, η_hint, N_max written into the bundle (calibrate later); default the paper's GSM8K rule. */
        public Builder decisionRule(HintDecisionRule rule) {
            this.rule = Objects.requireNonNull(rule, "decisionRule");
            return this;
        }

        /**
         * Folds of the cross-validation that picks the model among the candidates (5 is a good choice, as
         * {@code shepherd train} uses); default 0: off (then the configured network is trained, as set by hidden, featureHidden, multiSampleDropout,
         * weightDecay and learningRate). Fewer folds are used when a class has fewer training rows.
         */
        public Builder crossValidationFolds(int folds) {
            this.cvFolds = (int) in("crossValidationFolds", folds, 0, 100);
            return this;
        }

        /**
         * The candidates cross-validation chooses among (replacing {@link #defaultCandidates()} and the
         * configured network); non-empty.
         */
        public Builder candidates(List<HeadCandidate> grid) {
            Objects.requireNonNull(grid, "candidates");
            if (grid.isEmpty()) {
                throw new IllegalArgumentException("candidates must not be empty");
            }
            this.candidates = List.copyOf(grid);
            return this;
        }

        public PredictorTrainer build() {
            return new PredictorTrainer(this);
        }

        private static double in(String field, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(field + " must be in [" + lo + ", " + hi + "] but was " + v);
            }
            return v;
        }

        private static double positive(String field, double v, double hi) {
            if (!(v > 0 && v <= hi)) {
                throw new IllegalArgumentException(field + " must be in (0, " + hi + "] but was " + v);
            }
            return v;
        }
    }
}
