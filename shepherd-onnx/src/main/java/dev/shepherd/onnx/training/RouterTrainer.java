package dev.shepherd.onnx.training;

import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.onnx.CostAwareChoice;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.RouterMetadata;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.Logistic;
import dev.shepherd.onnx.internal.Metrics;
import dev.shepherd.onnx.internal.RouterWeights;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
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
 * Trains the N-way router from a trace of several models' graded answers (shepherd-trace): one success-probability
 * head per model over the same inputs (the query's embedding from a frozen encoder — a transformer, or static token
 * embeddings distilled from one — and the cheap
 * {@link QueryFeatures}), exported as one multi-output ONNX graph ({@link TrainedRouter#export}).
 *
 * <p>Each head is an L2-regularised logistic regression of the model's recorded quality (its 1/0 grade or its
 * score, a soft label) on the standardised features alone, or on them plus the embedding's top principal components
 * (the weights are mapped back onto the full embedding, so the graph does not project); k-fold cross-validation picks
 * per model the candidate with the lowest out-of-fold cross-entropy. Each head is then calibrated on its out-of-fold
 * logits by Platt scaling, so the probabilities of different models are comparable. Last, the operating λ of
 * {@link CostAwareChoice} is calibrated on the out-of-fold probabilities of the training queries, at the given prices:
 * the lowest-cost λ from which on the routed accuracy stays at or above {@code targetShare} of the most expensive
 * model's accuracy (a point that holds on new traffic, not a noisy early crossing).
 *
 * <pre>{@code
 * Trace trace = TraceJsonl.read(file).countMissingTokens(tokenizer::count).trace();
 * TrainedRouter router = RouterTrainer.builder(TextEncoder.miniLm()).seed(42).build().train(trace, prices);
 * router.export(bundleDir);                       // router.onnx + encoder/
 * }</pre>
 *
 * <p>Immutable and thread-safe once built; {@link #train} runs single-threaded. The same seed and trace give the same
 * router.
 */
public final class RouterTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(RouterTrainer.class);
    private static final int ENCODE_BATCH = 32;

    private final QueryEncoder encoder;
    private final long seed;
    private final int folds;
    private final double targetShare;
    private final int components;

    private RouterTrainer(Builder b) {
        this.encoder = b.encoder;
        this.seed = b.seed;
        this.folds = b.folds;
        this.targetShare = b.targetShare;
        this.components = b.components;
    }

    /**
     * A builder over the given (not owned) encoder: a transformer ({@code TextEncoder}) or static token embeddings
     * distilled from one ({@code StaticEncoder}, the fast tier); the bundle records which, and {@code OnnxRouter}
     * loads it back.
     */
    public static Builder builder(QueryEncoder encoder) {
        return new Builder(Objects.requireNonNull(encoder, "encoder"));
    }

    /** One candidate model of a head. */
    private record Candidate(String name, boolean embedding, double l2) {
    }

    /**
     * Trains the router.
     *
     * @param trace the training queries; every response must carry its token counts
     *              ({@link Trace#countMissingTokens} fills them)
     * @param prices every model's prices, for the λ calibration
     * @return the trained router
     * @throws IllegalArgumentException for fewer than two models or {@code 2 × folds} queries, a response without
     *                                  token counts or a model without prices
     */
    public TrainedRouter train(Trace trace, Map<String, TokenPrices> prices) {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(prices, "prices");
        List<String> models = trace.models();
        int m = models.size();
        int n = trace.size();
        if (m < 2) {
            throw new IllegalArgumentException("a router needs at least two models but the trace has " + models);
        }
        if (n < 2 * folds) {
            throw new IllegalArgumentException("a router needs at least " + 2 * folds + " queries to train with "
                    + folds + "-fold cross-validation but the trace has " + n);
        }
        double[][] y = new double[n][m];
        double[][] cost = new double[n][m];
        long[][] input = new long[n][m];
        double[] meanOut = new double[m];
        TokenPrices[] price = new TokenPrices[m];
        for (int j = 0; j < m; j++) {
            price[j] = prices.get(models.get(j));
            if (price[j] == null) {
                throw new IllegalArgumentException("no prices for model '" + models.get(j) + "'");
            }
        }
        for (int i = 0; i < n; i++) {
            TraceRecord r = trace.records().get(i);
            for (int j = 0; j < m; j++) {
                Response resp = r.response(models.get(j));
                if (!resp.hasTokens()) {
                    throw new IllegalArgumentException("record '" + r.id() + "', model '" + models.get(j) + "' has no "
                            + "token counts; count them first (Trace.countMissingTokens)");
                }
                y[i][j] = resp.quality();
                input[i][j] = resp.inputTokens();
                cost[i][j] = price[j].cost(resp.inputTokens(), resp.outputTokens());
                meanOut[j] += resp.outputTokens() / (double) n;
            }
        }
        long start = System.nanoTime();
        List<String> queries = trace.records().stream().map(TraceRecord::query).toList();
        EncodedText[] enc = encode(queries);
        List<String> featureNames = QueryFeatures.DEFAULT;
        int d = enc[0].vector().length;
        int nf = featureNames.size();
        double[][] e = new double[n][d];
        double[][] f = new double[n][];
        for (int i = 0; i < n; i++) {
            float[] v = enc[i].vector();
            for (int c = 0; c < d; c++) {
                e[i][c] = v[c];
            }
            f[i] = FeatureVector.assemble(featureNames, Map.of(), enc[i].tokens(), queries.get(i), "router trainer");
        }
        double[] eMean = new double[d];
        double[] eStd = new double[d];
        double[] fMean = new double[nf];
        double[] fStd = new double[nf];
        standardize(e, eMean, eStd);
        standardize(f, fMean, fStd);
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        int k = Math.min(components, Math.min(d, n - 1));
        double[][] basis = Pca.basis(e, all, k, seed);
        double[][] featureDesign = new double[n][nf + 1];
        double[][] fullDesign = new double[n][k + nf + 1];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int a = 0; a < d; a++) {
                    s += e[i][a] * basis[a][c];
                }
                fullDesign[i][c] = s;
            }
            System.arraycopy(f[i], 0, featureDesign[i], 0, nf);
            System.arraycopy(f[i], 0, fullDesign[i], k, nf);
            featureDesign[i][nf] = 1;
            fullDesign[i][k + nf] = 1;
        }
        List<Candidate> candidates = List.of(new Candidate("features-linear", false, 1),
                new Candidate("embedding-pca" + k + "-l2=1", true, 1),
                new Candidate("embedding-pca" + k + "-l2=10", true, 10),
                new Candidate("embedding-pca" + k + "-l2=100", true, 100));
        int[] fold = folds(n);
        float[] w = new float[(d + nf) * m];
        float[] b = new float[m];
        float[] plattA = new float[m];
        float[] plattB = new float[m];
        double[][] calibrated = new double[n][m];
        List<RouterMetadata.Head> heads = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            double[] yj = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) {
                yj[i] = y[i][j];
                mean += yj[i] / n;
            }
            Candidate best = null;
            double bestLoss = Double.POSITIVE_INFINITY;
            double[] bestOof = null;
            for (Candidate c : candidates) {
                double[][] design = c.embedding() ? fullDesign : featureDesign;
                double[] oof = crossValidate(design, yj, fold, c.l2());
                double[] p = Arrays.stream(oof).map(Logistic::sigmoid).toArray();
                double loss = Logistic.logLoss(p, yj);
                LOG.info("router head {}: candidate {} out-of-fold log-loss {}", models.get(j), c.name(), loss);
                if (loss < bestLoss - 1e-9) {
                    best = c;
                    bestLoss = loss;
                    bestOof = oof;
                }
            }
            double[] weights = Logistic.fit(best.embedding() ? fullDesign : featureDesign, yj, all, best.l2());
            int off = best.embedding() ? k : 0;
            if (best.embedding()) {
                for (int a = 0; a < d; a++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += basis[a][c] * weights[c];
                    }
                    w[a * m + j] = (float) s;
                }
            }
            for (int q = 0; q < nf; q++) {
                w[(d + q) * m + j] = (float) weights[off + q];
            }
            b[j] = (float) weights[off + nf];
            double[] platt = Logistic.platt(bestOof, yj);
            plattA[j] = (float) platt[0];
            plattB[j] = (float) platt[1];
            boolean[] good = new boolean[n];
            double[] constant = new double[n];
            for (int i = 0; i < n; i++) {
                calibrated[i][j] = Logistic.sigmoid(platt[0] * bestOof[i] + platt[1]);
                good[i] = yj[i] >= 0.5;
                constant[i] = mean;
            }
            heads.add(new RouterMetadata.Head(models.get(j), best.name(), Metrics.rocAuc(bestOof, good), bestLoss,
                    Logistic.logLoss(constant, yj), mean, platt[0], platt[1]));
        }
        TrainedRouter.Calibration calibration = calibrate(models, y, cost, input, meanOut, price, calibrated);
        RouterWeights weights = new RouterWeights(d, nf, m, floats(eMean), floats(eStd), floats(fMean), floats(fStd), w, b,
                plattA, plattB);
        List<Double> out = Arrays.stream(meanOut).boxed().toList();
        RouterMetadata meta = new RouterMetadata(models, out, featureNames, encoder.id(), encoder.pooling(),
                encoder.maxLength(), encoder.normalize(), d, calibration.lambda(), targetShare, Instant.now(), seed, n,
                heads, encoder.kind());
        LOG.info("trained an N-way router over {} on {} queries in {} ms; lambda {}", models, n,
                (System.nanoTime() - start) / 1_000_000, calibration.lambda());
        return new TrainedRouter(encoder, weights, meta, calibration);
    }

    /** Out-of-fold logits of a candidate: each fold scored by a head fitted on the others. */
    private double[] crossValidate(double[][] design, double[] y, int[] fold, double l2) {
        int n = y.length;
        double[] oof = new double[n];
        for (int k = 0; k < folds; k++) {
            List<Integer> in = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] != k) {
                    in.add(i);
                }
            }
            double[] w = Logistic.fit(design, y, in.stream().mapToInt(Integer::intValue).toArray(), l2);
            for (int i = 0; i < n; i++) {
                if (fold[i] == k) {
                    oof[i] = Logistic.dot(design[i], w);
                }
            }
        }
        return oof;
    }

    /** λ: the cheapest point of the out-of-fold curve from which on accuracy stays ≥ targetShare · A_reference. */
    private TrainedRouter.Calibration calibrate(List<String> models, double[][] y, double[][] cost, long[][] input,
                                                double[] meanOut, TokenPrices[] price, double[][] p) {
        int n = y.length;
        int m = models.size();
        double[] total = new double[m];
        double[] acc = new double[m];
        double[][] estimate = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                total[j] += cost[i][j];
                acc[j] += y[i][j] / n;
                estimate[i][j] = price[j].cost(input[i][j], Math.round(meanOut[j]));
            }
        }
        int reference = 0;
        for (int j = 1; j < m; j++) {
            if (total[j] > total[reference]) {
                reference = j;
            }
        }
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale += estimate[i][reference] / n;
        }
        double unit = scale > 0 ? scale : 1;
        double target = targetShare * acc[reference];
        List<TrainedRouter.Calibration> points = new ArrayList<>();
        for (double lambda : CostAwareChoice.lambdas()) {
            double a = 0;
            double c = 0;
            double[] calls = new double[m];
            for (int i = 0; i < n; i++) {
                int j = CostAwareChoice.choose(p[i], estimate[i], unit, lambda);
                a += y[i][j] / n;
                c += cost[i][j];
                calls[j] += 1.0 / n;
            }
            Map<String, Double> shares = new LinkedHashMap<>();
            for (int j = 0; j < m; j++) {
                shares.put(models.get(j), calls[j]);
            }
            points.add(new TrainedRouter.Calibration(lambda, a, c, acc[reference], target, shares, n, a >= target - 1e-12));
        }
        points.sort(Comparator.comparingDouble(TrainedRouter.Calibration::costUsd)
                .thenComparing(Comparator.comparingDouble(TrainedRouter.Calibration::lambda).reversed()));
        TrainedRouter.Calibration chosen = null;
        for (int q = points.size() - 1; q >= 0 && points.get(q).reached(); q--) {
            chosen = points.get(q);
        }
        if (chosen == null) { // never stays above the target: route for accuracy alone
            chosen = points.stream().filter(c -> c.lambda() == 0).findFirst().orElseThrow();
        }
        return chosen;
    }

    private EncodedText[] encode(List<String> queries) {
        Integer[] order = new Integer[queries.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> queries.get(i).length()));
        EncodedText[] out = new EncodedText[queries.size()];
        for (int from = 0; from < order.length; from += ENCODE_BATCH) {
            int to = Math.min(from + ENCODE_BATCH, order.length);
            List<String> texts = new ArrayList<>(to - from);
            for (int q = from; q < to; q++) {
                texts.add(queries.get(order[q]));
            }
            List<EncodedText> enc = encoder.encodeAll(texts);
            for (int q = from; q < to; q++) {
                out[order[q]] = enc.get(q - from);
            }
        }
        return out;
    }

    /** A seeded random fold per query, balanced in size. */
    private int[] folds(int n) {
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] fold = new int[n];
        for (int q = 0; q < n; q++) {
            fold[order[q]] = q % folds;
        }
        return fold;
    }

    /** Standardises the columns in place (population variance; a constant column keeps scale 1). */
    private static void standardize(double[][] x, double[] mean, double[] std) {
        int n = x.length;
        for (int c = 0; c < mean.length; c++) {
            double s = 0;
            for (double[] row : x) {
                s += row[c];
            }
            mean[c] = s / n;
            double v = 0;
            for (double[] row : x) {
                v += (row[c] - mean[c]) * (row[c] - mean[c]);
            }
            double sd = Math.sqrt(v / n);
            std[c] = sd > 1e-6 ? sd : 1;
            for (double[] row : x) {
                row[c] = (row[c] - mean[c]) / std[c];
            }
        }
    }

    private static float[] floats(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    /** Configures a {@link RouterTrainer}. Not thread-safe; each setter validates at once. */
    public static final class Builder {
        private final QueryEncoder encoder;
        private long seed = 42;
        private int folds = 5;
        private double targetShare = 0.9;
        private int components = 48;

        private Builder(QueryEncoder encoder) {
            this.encoder = encoder;
        }

        /** Seed of the folds and the principal-component start; default 42. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Folds of the cross-validation that picks each head and yields the calibration data, 2..20; default 5. */
        public Builder folds(int value) {
            if (value < 2 || value > 20) {
                throw new IllegalArgumentException("folds must be in [2, 20] but was " + value);
            }
            this.folds = value;
            return this;
        }

        /** Share of the most expensive model's accuracy the operating λ must keep, in (0, 1]; default 0.9. */
        public Builder targetShare(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("targetShare must be in (0, 1] but was " + value);
            }
            this.targetShare = value;
            return this;
        }

        /** Principal components of the embedding the embedding heads learn on, 1..1024; default 48. */
        public Builder principalComponents(int value) {
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("principalComponents must be in [1, 1024] but was " + value);
            }
            this.components = value;
            return this;
        }

        public RouterTrainer build() {
            return new RouterTrainer(this);
        }
    }
}
