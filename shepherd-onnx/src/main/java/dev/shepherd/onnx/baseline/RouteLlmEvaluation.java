package dev.shepherd.onnx.baseline;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.policy.PredictorRouting;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.HeadOutput;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.internal.Metrics;
import dev.shepherd.onnx.internal.StratifiedFolds;
import dev.shepherd.onnx.training.EncodedExamples;
import dev.shepherd.onnx.training.HeadCandidate;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.ModelSelection;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.StaticDistiller;
import dev.shepherd.onnx.training.TraceLabels;
import dev.shepherd.onnx.training.TrainedPredictor;
import dev.shepherd.trace.RouteLlmCsv;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Evaluates the need-help head on a real two-model {@link Trace} (label: the weak model was wrong) with
 * stratified k-fold cross-validation: out-of-fold ROC-AUC of the head, of the kNN router and of query
 * length alone, and the accuracy / cost of routing by the head's scores at several large-model call
 * shares against random routing at the same share (its exact expectation) and the oracle.
 *
 * <p>Costs: the weak model is taken as local (free by default); a routed query pays the strong model
 * for the question's tokens in and its recorded response's tokens out, both counted with cl100k_base
 * (jtokkit) — a proxy: the trace lacks the real prompts (few-shot examples) and token counts.
 *
 * <p>Run: {@code java -cp <test classpath> dev.shepherd.onnx.baseline.RouteLlmEvaluation TRACE.csv [folds]} (see README).
 * Immutable; {@link #run} is single-threaded apart from ONNX Runtime.
 */
public final class RouteLlmEvaluation {

    /** GPT-4-1106-preview list price: $10 / M input, $30 / M output tokens. */
    public static final TokenPrices GPT4_1106 = TokenPrices.perMillion(10, 30);

    private final QueryEncoder encoder;
    private final int folds;
    private final long seed;
    private final TokenPrices largePrices;
    private final TokenPrices smallPrices;
    private final double[] shares;
    private final int maxEpochs;
    private final UnaryOperator<PredictorTrainer.Builder> tuning;

    private RouteLlmEvaluation(QueryEncoder encoder, int folds, long seed, TokenPrices strong, TokenPrices weak,
                               double[] shares, int maxEpochs, UnaryOperator<PredictorTrainer.Builder> tuning) {
        this.encoder = encoder;
        this.folds = folds;
        this.seed = seed;
        this.largePrices = strong;
        this.smallPrices = weak;
        this.shares = shares;
        this.maxEpochs = maxEpochs;
        this.tuning = tuning;
    }

    /** This evaluation with extra trainer settings applied after the defaults (λ = 1, default features and CV). */
    public RouteLlmEvaluation withTrainer(UnaryOperator<PredictorTrainer.Builder> tuning) {
        return new RouteLlmEvaluation(encoder, folds, seed, largePrices, smallPrices, shares, maxEpochs,
                Objects.requireNonNull(tuning, "tuning"));
    }

    /**
     * An evaluation with GPT-4-1106 prices for the strong model, a free weak model and shares 10 … 90 %.
     *
     * @param folds ≥ 2
     */
    public static RouteLlmEvaluation of(QueryEncoder encoder, int folds, long seed) {
        Objects.requireNonNull(encoder, "encoder");
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be >= 2 but was " + folds);
        }
        return new RouteLlmEvaluation(encoder, folds, seed, GPT4_1106, TokenPrices.free(),
                new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, 40, UnaryOperator.identity());
    }

    /** Routing by a score at one large-model call share. */
    public record SharePoint(double targetShare, double achievedShare, double headAccuracy, double headCost,
                             double knnAccuracy, double randomAccuracy, double randomCost, double oracleAccuracy) {
    }

    /** What the evaluation found. Costs are mean dollars per query. */
    public record Report(int rows, int folds, double smallAccuracy, double largeAccuracy, double headAuc,
                         double knnAuc, double lengthAuc, String bestFeature, double bestFeatureAuc,
                         List<String> chosen, Map<String, Double> innerCvAuc, double largeOnlyCost,
                         List<SharePoint> points) {

        /** A fixed-width table for logs and the README. */
        public String toTable() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "rows %d, %d-fold CV; weak acc %.3f, strong acc %.3f, strong-only cost $%.5f/query%n"
                            + "out-of-fold ROC-AUC: need-help head %.3f | kNN router %.3f | query length %.3f"
                            + " | best single feature %s %.3f (sign-corrected, all rows)%n"
                            + "models chosen by the trainer's inner CV, per fold: %s%n",
                    rows, folds, smallAccuracy, largeAccuracy, largeOnlyCost, headAuc, knnAuc, lengthAuc, bestFeature,
                    bestFeatureAuc, chosen));
            s.append("inner-CV mean ROC-AUC per candidate, averaged over the outer folds:");
            innerCvAuc.forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %.3f;", k, v)));
            s.append('\n');
            s.append("share  achieved  head-acc  head-$/q   knn-acc  random-acc  random-$/q  oracle-acc\n");
            for (SharePoint p : points) {
                s.append(String.format(Locale.ROOT, "%5.2f  %8.3f  %8.3f  %8.5f  %8.3f  %10.3f  %10.5f  %10.3f%n",
                        p.targetShare(), p.achievedShare(), p.headAccuracy(), p.headCost(), p.knnAccuracy(),
                        p.randomAccuracy(), p.randomCost(), p.oracleAccuracy()));
            }
            return s.toString();
        }
    }

    /** One query of a two-model trace: the first model is the weak one. */
    private record Row(String prompt, boolean smallCorrect, boolean largeCorrect, String smallResponse,
                       String largeResponse) {
    }

    /** Runs the cross-validation on a two-model trace (weak model first, as RouteLLM's CSV has them). */
    public Report run(Trace trace) {
        String weak = trace.models().get(0);
        String strong = trace.models().get(1);
        List<Row> rows = trace.records().stream().map(r -> new Row(r.query(), r.response(weak).quality() >= 0.5,
                r.response(strong).quality() >= 0.5, r.response(weak).text(), r.response(strong).text())).toList();
        int n = rows.size();
        List<LabeledExample> examples = TraceLabels.needHelpExamples(trace);
        // the trainer's defaults: query length + the cheap query features, model chosen by inner 5-fold CV
        PredictorTrainer.Builder tb = PredictorTrainer.builder(encoder).lambda(1).seed(seed).maxEpochs(maxEpochs)
                .patience(6).validationFraction(0.15).crossValidationFolds(5);
        EncodedExamples all = tb.build().encode(examples);
        int[] fold = folds(examples);
        double[] head = new double[n];
        double[] knn = new double[n];
        double[] length = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            positive[i] = examples.get(i).needsHint();
            length[i] = all.encoded(i).tokens();
        }
        List<String> chosen = new ArrayList<>();
        Map<String, double[]> inner = new LinkedHashMap<>();
        for (int k = 0; k < folds; k++) {
            int[] train = indices(fold, k, false);
            int[] test = indices(fold, k, true);
            EncodedExamples trainSet = all.subset(train);
            TrainedPredictor p = tuning.apply(tb.seed(seed + k)).build().train(trainSet);
            chosen.add(p.modelSelection().chosen().name());
            for (ModelSelection.Scored sc : p.modelSelection().candidates()) {
                inner.computeIfAbsent(sc.candidate().name(), x -> new double[2]);
                inner.get(sc.candidate().name())[0] += sc.meanAuc() / folds;
            }
            KnnRouter router = KnnRouter.fit(encoder, trainSet);
            List<HeadOutput> scored = p.headOutputs(all, test);
            for (int t = 0; t < test.length; t++) {
                int i = test[t];
                head[i] = scored.get(t).needLogit();
                knn[i] = router.probability(all.encoded(i).vector());
            }
        }
        String bestFeature = Features.QUERY_LENGTH;
        double bestFeatureAuc = Math.max(Metrics.rocAuc(length, positive), 1 - Metrics.rocAuc(length, positive));
        for (String name : QueryFeatures.ALL) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = QueryFeatures.compute(examples.get(i).query()).get(name);
            }
            double a = Metrics.rocAuc(v, positive);
            if (Math.max(a, 1 - a) > bestFeatureAuc) {
                bestFeatureAuc = Math.max(a, 1 - a);
                bestFeature = name;
            }
        }
        Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        double[] largeCost = new double[n];
        double[] smallCost = new double[n];
        for (int i = 0; i < n; i++) {
            long in = cl100k.countTokens(rows.get(i).prompt());
            largeCost[i] = largePrices.cost(in, cl100k.countTokens(rows.get(i).largeResponse()));
            smallCost[i] = smallPrices.cost(in, cl100k.countTokens(rows.get(i).smallResponse()));
        }
        List<SharePoint> points = new ArrayList<>();
        for (double share : shares) {
            points.add(point(rows, share, head, knn, largeCost, smallCost));
        }
        double smallAccuracy = rows.stream().filter(Row::smallCorrect).count() / (double) n;
        double largeAccuracy = rows.stream().filter(Row::largeCorrect).count() / (double) n;
        return new Report(n, folds, smallAccuracy, largeAccuracy, Metrics.rocAuc(head, positive),
                Metrics.rocAuc(knn, positive), Metrics.rocAuc(length, positive), bestFeature, bestFeatureAuc, chosen,
                innerMeans(inner), mean(largeCost), points);
    }

    private SharePoint point(List<Row> rows, double share, double[] head, double[] knn,
                             double[] largeCost, double[] smallCost) {
        int n = rows.size();
        double[] byHead = route(rows, head, share, largeCost, smallCost);
        double[] byKnn = route(rows, knn, share, largeCost, smallCost);
        double s = byHead[2];
        double smallAcc = 0;
        double largeAcc = 0;
        int largeOnly = 0;
        for (Row r : rows) {
            smallAcc += r.smallCorrect() ? 1 : 0;
            largeAcc += r.largeCorrect() ? 1 : 0;
            largeOnly += !r.smallCorrect() && r.largeCorrect() ? 1 : 0;
        }
        smallAcc /= n;
        largeAcc /= n;
        double randomAcc = (1 - s) * smallAcc + s * largeAcc;
        double randomCost = (1 - s) * mean(smallCost) + s * mean(largeCost);
        double oracle = smallAcc + Math.min(Math.round(s * n), largeOnly) / (double) n;
        return new SharePoint(share, s, byHead[0], byHead[1], byKnn[0], randomAcc, randomCost, oracle);
    }

    /** {accuracy, mean cost, achieved share} of routing iff score ≥ the (1 − share) quantile. */
    private static double[] route(List<Row> rows, double[] scores, double share, double[] largeCost,
                                  double[] smallCost) {
        double threshold = PredictorRouting.calibrateThreshold(scores, share);
        double acc = 0;
        double cost = 0;
        int routed = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean strong = scores[i] >= threshold;
            routed += strong ? 1 : 0;
            acc += (strong ? rows.get(i).largeCorrect() : rows.get(i).smallCorrect()) ? 1 : 0;
            cost += strong ? largeCost[i] : smallCost[i];
        }
        return new double[] {acc / rows.size(), cost / rows.size(), routed / (double) rows.size()};
    }

    private int[] folds(List<LabeledExample> examples) {
        return StratifiedFolds.assign(examples.stream().mapToInt(e -> e.needsHint() ? 1 : 0).toArray(), folds, seed);
    }

    private static int[] indices(int[] fold, int k, boolean in) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == k) == in) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, Double> innerMeans(Map<String, double[]> inner) {
        Map<String, Double> out = new LinkedHashMap<>();
        inner.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s / a.length;
    }

    /** The head families compared with the embedding in every fold: where the encoder matters at all. */
    static final List<HeadCandidate> EMBEDDING_HEADS = List.of(
            HeadCandidate.linear("embedding-linear-strong", true, 1000),
            HeadCandidate.network("embedding-narrow", 16, 8, 0.5, 0.1, 1e-3));

    /**
     * One encoder's results in {@link #compare}.
     *
     * @param encoder       the encoder's id
     * @param report        with the trainer's own per-fold model choice
     * @param fixedHeadAuc  out-of-fold ROC-AUC with each of {@link #EMBEDDING_HEADS} in every fold
     */
    public record EncoderResult(String encoder, Report report, Map<String, Double> fixedHeadAuc) {
    }

    /**
     * Evaluates several encoders side by side: the same folds (the seed fixes them), the same trainer settings and
     * head candidates, then each {@link #EMBEDDING_HEADS} family fixed in every fold (the trainer's choice often
     * leaves the embedding out on this trace, so only these say how much the encoder itself carries).
     */
    public static List<EncoderResult> compare(List<? extends QueryEncoder> encoders, Trace trace, int folds,
                                              long seed) {
        List<EncoderResult> out = new ArrayList<>();
        for (QueryEncoder e : encoders) {
            Report r = of(e, folds, seed).run(trace);
            Map<String, Double> fixed = new LinkedHashMap<>();
            for (HeadCandidate c : EMBEDDING_HEADS) {
                fixed.put(c.name(), of(e, folds, seed).withTrainer(b -> b.candidates(List.of(c))).run(trace).headAuc());
            }
            out.add(new EncoderResult(e.id(), r, fixed));
        }
        return out;
    }

    /**
     * How closely encoder {@code b} reproduces encoder {@code a}'s geometry on these texts: the Pearson correlation of
     * the cosine similarities of every pair of texts (1: the same neighbourhoods). A routing AUC says little about
     * the encoder where the labels barely depend on the embedding; this says how much of the transformer a static
     * table keeps.
     */
    public static double similarityCorrelation(QueryEncoder a, QueryEncoder b, List<String> texts) {
        List<EncodedText> ea = a.encodeAll(texts);
        List<EncodedText> eb = b.encodeAll(texts);
        int n = texts.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double x = cosine(ea.get(i).vector(), ea.get(j).vector());
                double y = cosine(eb.get(i).vector(), eb.get(j).vector());
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
                pairs++;
            }
        }
        double cov = sxy / pairs - (sx / pairs) * (sy / pairs);
        double vx = sxx / pairs - (sx / pairs) * (sx / pairs);
        double vy = syy / pairs - (sy / pairs) * (sy / pairs);
        return cov / Math.sqrt(vx * vy);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** {@link #compare}'s results as one table, an encoder per row. */
    public static String comparisonTable(List<EncoderResult> results) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-28s %9s %8s", "encoder (same folds)",
                "head-AUC", "kNN-AUC"));
        for (HeadCandidate c : EMBEDDING_HEADS) {
            s.append(String.format(Locale.ROOT, " %24s", c.name() + "-AUC"));
        }
        s.append("  models chosen per fold\n");
        for (EncoderResult r : results) {
            s.append(String.format(Locale.ROOT, "%-28s %9.3f %8.3f", r.encoder(), r.report().headAuc(),
                    r.report().knnAuc()));
            for (HeadCandidate c : EMBEDDING_HEADS) {
                s.append(String.format(Locale.ROOT, " %24.3f", r.fixedHeadAuc().get(c.name())));
            }
            s.append("  ").append(r.report().chosen()).append('\n');
        }
        return s.toString();
    }

    /**
     * Command line: {@code RouteLlmEvaluation TRACE.csv [folds] [seed] [--static | --static=DIR]}. Uses the default
     * MiniLM encoder (its jar must be on the classpath) or {@code -Dshepherd.encoder.dir=DIR} with model.onnx +
     * tokenizer.json (mean pooling, normalised). With {@code --static} it also distills that encoder into static
     * embeddings (the distiller's defaults, about a minute) — or loads them from {@code DIR} (written by
     * {@code shepherd distill}) — and prints both side by side ({@link #compare}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: RouteLlmEvaluation TRACE.csv [folds=5] [seed=42] [--static | --static=DIR]");
            System.exit(2);
        }
        int folds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
        String staticArg = args.length > 3 ? args[3] : null;
        String dir = System.getProperty("shepherd.encoder.dir");
        long start = System.nanoTime();
        try (TextEncoder encoder = dir == null ? TextEncoder.miniLm()
                : TextEncoder.builder(EncoderFiles.inDirectory(Path.of(dir))).normalize(true).build()) {
            Trace trace = RouteLlmCsv.read(Path.of(args[0]));
            System.out.println("trace " + trace.source() + ": small " + trace.models().get(0) + ", large "
                    + trace.models().get(1) + "; encoder " + encoder);
            if (staticArg == null) {
                Report report = of(encoder, folds, seed).run(trace);
                System.out.print(report.toTable());
            } else {
                try (StaticEncoder fast = staticArg.startsWith("--static=")
                        ? StaticEncoder.load(Path.of(staticArg.substring("--static=".length())))
                        : StaticDistiller.builder(encoder).build()
                                .distill(Files.createTempDirectory("shepherd-static"))) {
                    System.out.println("static encoder " + fast + ": " + new TreeMap<>(fast.properties()));
                    List<EncoderResult> results = compare(List.of(encoder, fast), trace, folds, seed);
                    for (EncoderResult r : results) {
                        System.out.println("--- " + r.encoder());
                        System.out.print(r.report().toTable());
                    }
                    System.out.print(comparisonTable(results));
                    List<String> prompts = trace.records().stream().map(TraceRecord::query).toList();
                    System.out.printf(Locale.ROOT, "pairwise cosine similarities of the %d questions, static vs "
                            + "transformer: Pearson r = %.3f%n", prompts.size(),
                            similarityCorrelation(encoder, fast, prompts));
                }
            }
            System.out.printf(Locale.ROOT, "took %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        System.exit(0);
    }
}
