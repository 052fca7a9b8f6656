package dev.shepherd.onnx;

import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.TrainingLoop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the two-stage predictor's heads (SHEPHERDING.md §4) in plain Java over a frozen encoder:
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

    private final TextEncoder encoder;
    private final List<String> featureNames;
    private final TrainingLoop.Config config;
    private final double validationFraction;
    private final HintDecisionRule rule;

    private PredictorTrainer(Builder b) {
        this.encoder = b.encoder;
        this.featureNames = List.copyOf(b.featureNames);
        this.config = new TrainingLoop.Config(b.seed, b.lambda, b.learningRate, b.weightDecay, b.batchSize,
                b.maxEpochs, b.patience, b.emaDecay, b.hidden, b.featureHidden, b.dropout, b.dropoutSamples, true);
        this.validationFraction = b.validationFraction;
        this.rule = b.rule;
    }

    /** A builder over the given (not owned) encoder. */
    public static Builder builder(TextEncoder encoder) {
        return new Builder(Objects.requireNonNull(encoder, "encoder"));
    }

    /** The numeric features the heads read, in input order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The encoder this trainer embeds queries with. */
    public TextEncoder encoder() {
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
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> examples.get(i).query().length()));
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
        return new EncodedExamples(encoder.id(), examples, java.util.Arrays.asList(out));
    }

    /**
     * Encodes and trains.
     *
     * @throws TrainingException for an empty or single-class set, or a non-finite / missing feature
     */
    public TrainedPredictor train(List<LabeledExample> examples) {
        check(examples);
        return train(encode(examples));
    }

    /**
     * Trains on already encoded examples.
     *
     * @throws TrainingException for an empty or single-class set, or a non-finite / missing feature
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
        for (int i = 0; i < n; i++) {
            LabeledExample ex = data.example(i);
            emb[i] = data.encoded(i).vector();
            x[i] = features(ex, data.encoded(i).tokens());
            y[i] = ex.needsHint() ? 1 : 0;
            r[i] = Math.log1p(ex.nStar());
        }
        int[][] split = split(y);
        long start = System.nanoTime();
        TrainingLoop.Result result = new TrainingLoop(config, emb, x, y, r).run(split[0], split[1]);
        LOG.info("trained heads on {} examples ({} validation) in {} ms: {}", split[0].length, split[1].length,
                (System.nanoTime() - start) / 1_000_000, result.metrics());
        List<String> validationIds = new ArrayList<>();
        for (int i : split[1]) {
            validationIds.add(data.example(i).id());
        }
        return new TrainedPredictor(encoder, featureNames, result.weights(), rule, result.metrics(),
                Instant.now(), validationIds, config.seed());
    }

    private double[] features(LabeledExample ex, int tokens) {
        for (Map.Entry<String, Double> e : ex.features().entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new TrainingException("example '" + ex.id() + "': feature '" + e.getKey()
                        + "' must be finite but was " + e.getValue());
            }
        }
        Map<String, Double> relevant = new java.util.LinkedHashMap<>(ex.features());
        relevant.keySet().retainAll(featureNames);
        try {
            return FeatureVector.assemble(featureNames, relevant, tokens, "trainer");
        } catch (IllegalArgumentException e) {
            throw new TrainingException("example '" + ex.id() + "': " + e.getMessage());
        }
    }

    private static void check(List<LabeledExample> examples) {
        Objects.requireNonNull(examples, "examples");
        if (examples.isEmpty()) {
            throw new TrainingException("training set is empty: at least one query that needs a hint and one "
                    + "that does not are required");
        }
        long positives = examples.stream().filter(LabeledExample::needsHint).count();
        if (positives == 0 || positives == examples.size()) {
            throw new TrainingException("training set has a single class: all " + examples.size()
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
        private final TextEncoder encoder;
        private List<String> featureNames = List.of(Features.QUERY_LENGTH);
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

        private Builder(TextEncoder encoder) {
            this.encoder = encoder;
        }

        /**
         * Numeric features, in input order; default {@code [query_length]} (computed by the encoder).
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
