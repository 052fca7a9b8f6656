package dev.shepherd.cli;

import dev.shepherd.cli.eval.CurvePoint;
import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.ReplayEvaluator;
import dev.shepherd.cli.eval.RoutingScores;
import dev.shepherd.cli.eval.Scores;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.cli.eval.TokenCounter;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.cli.trace.TraceSource;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.policy.PredictorRouting;
import dev.shepherd.onnx.BundleCalibration;
import dev.shepherd.onnx.training.Calibration;
import dev.shepherd.onnx.PredictorBundle;
import dev.shepherd.onnx.PredictorBundle.TrainingManifest;
import dev.shepherd.onnx.PredictorUse;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.ModelSelection;
import dev.shepherd.onnx.Pooling;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.TrainedPredictor;
import dev.shepherd.onnx.ValidationMetrics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code shepherd train}: trains the two-stage predictor (shepherd-onnx) from label records, or the routing head
 * from a recorded trace (label: the SLM's answer was wrong), and writes a predictor bundle. Not thread-safe.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a predictor bundle from labels "
        + "(n*), an N-way router from a JSONL trace of several models, or a routing head from a RouteLLM trace "
        + "(label: the SLM was wrong).",
        footer = {"", "Example:", "  shepherd train --labels labels.jsonl --out bundle",
            "  shepherd train --trace jsonl:trace.jsonl --price small=0.1:0.4 --price large=2.5:10 --split train "
                    + "--out router",
            "  shepherd train --trace routellm:trace.csv --encoder static --out router"})
final class TrainCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--labels", paramLabel = "FILE", description = "Label JSONL written by shepherd label.")
        Path labels;

        @Option(names = "--trace", paramLabel = "FORMAT:FILE|URL", description = "jsonl:FILE (docs/trace-format.md): "
                + "an N-way router over the trace's models (router.onnx); routellm:FILE (RouteLLM's response CSV): "
                + "the two-model routing head (heads.onnx).")
        String trace;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the bundle.")
    Path out;

    @Option(names = "--encoder", paramLabel = "minilm|static|DIR", description = "The encoder: minilm "
            + "(all-MiniLM-L6-v2 bundled with the command line, the default); static (MiniLM distilled into static "
            + "token embeddings: the fast tier, no transformer at request time; distilled once into the cache "
            + "directory); or a directory with model.onnx + tokenizer.json (a transformer) or "
            + "static-embeddings.bin + tokenizer.json (from shepherd distill).")
    String encoder;

    @Option(names = "--pooling", paramLabel = "MEAN|CLS", defaultValue = "MEAN", description = "Pooling of a transformer directory: MEAN or CLS (default: ${DEFAULT-VALUE}).")
    Pooling pooling;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-epochs", paramLabel = "N", defaultValue = "60", description = "Epoch limit (default: ${DEFAULT-VALUE}).")
    int maxEpochs;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N records or rows, N >= 1 "
            + "(default: all).")
    Integer limit;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache of downloaded traces and of the static "
            + "encoder (default: ~/.cache/shepherd).")
    Path cacheDir;

    @Mixin
    PriceOptions prices;

    @Mixin
    SplitOptions split;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "cl100k_base", description = "Tokenizer for the "
            + "token counts a JSONL trace lacks (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Counts.checkLimit(limit);
        OutputPaths.checkParent(out, "--out");
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CostModel costs = prices.costModel();
        PrintWriter stdout = spec.commandLine().getOut();
        if (split.given() && source.trace == null) {
            throw new InputException("--split", 0, null, "applies to --trace");
        }
        try (QueryEncoder enc = Encoders.open(encoder, pooling, cacheDir, spec.commandLine().getErr())) {
            if (source.labels != null) {
                trainFromLabels(enc, costs, stdout);
            } else {
                trainFromTrace(enc, stdout);
            }
        }
        stdout.flush();
        return ShepherdCli.EXIT_OK;
    }

    private void trainFromLabels(QueryEncoder enc, CostModel costs, PrintWriter stdout) {
        List<LabelRecord> records;
        try {
            records = LabelFile.read(source.labels);
        } catch (DataFormatException e) {
            throw new InputException(source.labels.toString(), 0, null, e.getMessage(), e);
        }
        if (limit != null && limit < records.size()) {
            records = records.subList(0, limit);
        }
        List<LabelRecord> kept = records.stream().filter(LabelRecord::keep).toList();
        List<LabeledExample> examples = kept.stream().map(LabelRecord::toExample).toList();
        if (examples.size() < 10) {
            throw new InputException(source.labels.toString(), 0, null, "only " + examples.size()
                    + " usable (keep=true) records; at least 10 are needed to train");
        }
        PredictorTrainer queryOnly = trainer(enc, 0.5).build();
        TrainedPredictor proactive = queryOnly.train(examples);
        Set<String> validation = new HashSet<>(proactive.validationIds());
        print(stdout, "query-only heads (routing, proactive shepherding)", proactive,
                examples.size());
        proactive.export(out);

        TrainedPredictor reactive = null;
        List<LabelRecord> withSamples = kept.stream().filter(LabelRecord::hasSamples).toList();
        if (withSamples.size() < examples.size()) {
            stdout.println("no reactive heads: " + (examples.size() - withSamples.size()) + " of " + examples.size()
                    + " usable records have no small-model samples (label with --samples K to train them)");
        } else {
            ReactiveFeatures rf = ReactiveFeatures.of(withSamples);
            List<String> names = new ArrayList<>(queryOnly.featureNames());
            names.add(Features.MEAN_ENTROPY);
            names.add(Features.MEAN_OUTPUT_LENGTH);
            reactive = trainer(enc, 0.5).featureNames(names).build().train(rf.examples()).withEntropy(rf.entropy());
            print(stdout, "reactive heads (" + rf.entropy() + " entropy; reactive shepherding)",
                    reactive, withSamples.size());
            if (rf.note() != null) {
                stdout.println(rf.note());
            }
            reactive.export(out);
        }

        List<LabelRecord> calib = records.stream().filter(r -> validation.contains(r.id())).toList();
        String calibWhat = "the " + calib.size() + " validation records";
        if (calib.isEmpty()) {
            calib = records;
            calibWhat = "all " + records.size() + " records (no validation split: in-sample)";
        }
        stdout.println("calibrated on " + calibWhat + " (cheapest rule reaching " + CalibrateCommand.DEFAULT_SHARE
                + " x LLM-only accuracy with a margin of " + CalibrateCommand.DEFAULT_MARGIN_SE + " standard error; "
                + "recalibrate on other labels with shepherd calibrate):");
        BundleCalibration bc = BundleCalibration.empty();
        for (PredictorUse use : PredictorUse.values()) {
            TrainedPredictor heads = use == PredictorUse.REACTIVE ? reactive : proactive;
            if (heads == null) {
                continue;
            }
            List<LabelRecord> forUse = use == PredictorUse.REACTIVE
                    ? calib.stream().filter(LabelRecord::hasSamples).toList() : calib;
            if (forUse.isEmpty()) {
                continue;
            }
            BundleCalibration.Entry e = Calibration.builder().records(forUse).predictor(heads).costModel(costs).use(use)
                    .build().cheapestReaching(CalibrateCommand.DEFAULT_SHARE, CalibrateCommand.DEFAULT_MARGIN_SE);
            bc = bc.with(use, e);
            stdout.println("  " + CalibrateCommand.line(use.policyName(), e));
        }
        PredictorBundle.at(out).writeCalibration(bc);
        stdout.println("wrote predictor bundle " + out + " (" + PredictorBundle.HEADS
                + (reactive != null ? ", " + PredictorBundle.REACTIVE_HEADS : "") + ", " + PredictorBundle.CALIBRATION
                + ")");
    }

    private void trainFromTrace(QueryEncoder enc, PrintWriter stdout) {
        Trace trace = split.apply(TraceSource.withCache(cacheDir).read(source.trace));
        if (limit != null) {
            trace = trace.limit(limit);
        }
        String what = split.given() ? " (" + split.describe() + ")" : "";
        if (source.trace.startsWith(TraceSource.JSONL + ":")) {
            RouterTraining.train(trace, what, enc, seed, TokenCounter.of(tokenizer), prices, out, stdout);
            return;
        }
        List<TraceRecord> rows = trace.records();
        String small = trace.models().get(0);
        String large = trace.models().get(1);
        List<LabeledExample> examples = new ArrayList<>(rows.size());
        TokenCounter tokens = TokenCounter.cl100k();
        for (TraceRecord r : rows) {
            // the LLM's recorded answer length: an auxiliary training target (answer-length candidate), never an input
            examples.add(LabeledExample.of(r.id(), r.query(), r.response(small).quality() >= 0.5 ? 0 : 1)
                    .withLargeAnswerTokens(tokens.count(r.response(large).text())));
        }
        // λ = 1: only the need-help (routing) head learns; the trace has no hint sizes.
        TrainedPredictor trained = trainer(enc, 1.0).build().train(examples);
        trained.export(out);
        Set<String> validation = new HashSet<>(trained.validationIds());
        List<String> trainedOn = rows.stream().filter(r -> !validation.contains(r.id()))
                .map(TraceRecord::query).toList();
        TrainingManifest manifest = TrainingManifest.of(trace.source(), "1 when the small model ("
                + small + ") was wrong", trainedOn);
        PredictorBundle.at(out).writeTrainingManifest(manifest);
        print(stdout, "routing head", trained, examples.size());
        stdout.println(calibrateThreshold(trained, trace, rows));
        stdout.println("routing head (label: the SLM was wrong) on " + rows.size() + " rows of " + trace.source() + what);
        stdout.println("wrote predictor bundle " + out + " (+ " + PredictorBundle.TRAINING + ": the "
                + manifest.trainedOnPromptSha256().size() + " prompts trained on, so eval can flag in-sample queries)");
    }

    /**
     * RouteLLM-style calibration of the routing threshold, stored as the bundle's calibrated α. The operating point
     * is the lowest LLM-call share from which on routing stays at or above 90 % of LLM-only accuracy, read off the
     * curve of the out-of-fold scores of every training-split row (each scored by a model that did not
     * train on it: hundreds of rows rather than the small validation split, whose curve is too noisy to pick a
     * point on). The share is then turned into a threshold on the final model's own scores (RouteLLM's quantile
     * calibration) over all the rows given to training. Without cross-validation it falls back to the validation
     * rows' curve.
     */
    private String calibrateThreshold(TrainedPredictor trained, Trace trace, List<TraceRecord> rows) {
        Map<String, Double> oof = trained.modelSelection().outOfFoldScores();
        List<TraceRecord> curveRows;
        double[] curveScores;
        String what;
        if (!oof.isEmpty()) {
            curveRows = rows.stream().filter(r -> oof.containsKey(r.id())).toList();
            curveScores = curveRows.stream().mapToDouble(r -> oof.get(r.id())).toArray();
            what = "out-of-fold scores of the " + curveRows.size() + " training-split rows";
        } else {
            Set<String> validation = new HashSet<>(trained.validationIds());
            curveRows = rows.stream().filter(r -> validation.contains(r.id())).toList();
            curveScores = scores(trained, curveRows);
            what = "the " + curveRows.size() + " validation rows";
        }
        if (curveRows.isEmpty()) {
            return "routing threshold not calibrated (no held-out rows); the bundle keeps alpha "
                    + trained.decisionRule().alpha();
        }
        Trace curveTrace = trace.withRecords(curveRows);
        EvalReport report = new ReplayEvaluator(TokenCounter.cl100k(), prices.costModel(), 0.5)
                .evaluate(curveTrace, new RoutingScores("calibration", curveScores, OptionalDouble.empty()));
        Scores sc = report.scores();
        StrategyResult routing = report.strategy("routing").orElseThrow();
        // the lowest LLM-call share from which on the curve stays at or above the target: a noisy early spike
        // above the target (the first crossing) is not an operating point that holds on new traffic
        List<CurvePoint> curve = new ArrayList<>(routing.curve());
        curve.sort(Comparator.comparingDouble(CurvePoint::largeCalls));
        CurvePoint best = curve.get(curve.size() - 1);
        for (int i = curve.size() - 1; i >= 0 && curve.get(i).accuracy() >= sc.targetAccuracy() - 1e-12; i--) {
            best = curve.get(i);
        }
        double share = best.largeCalls() / curveRows.size();
        // the share as a threshold on the final model's probabilities over every row given to training
        double alpha = Math.min(1.0, Math.max(0.0, PredictorRouting.calibrateThreshold(scores(trained, rows), share)));
        HintDecisionRule rule = trained.decisionRule();
        BundleCalibration.Entry routingRule = new BundleCalibration.Entry(
                new HintDecisionRule(alpha, rule.etaHint(), rule.maxHint()), null, null, best.accuracy(),
                best.costUsd() / curveRows.size(), curveRows.size(), "routing threshold: lowest LLM share from which "
                + "on accuracy stays >= 0.9 x LLM-only on " + what + "; share turned into a threshold on the final "
                + "model's scores of all " + rows.size() + " rows", List.of());
        PredictorBundle.at(out).writeCalibration(BundleCalibration.empty().with(PredictorUse.ROUTING, routingRule));
        return String.format(Locale.ROOT, "calibrated routing threshold %.4f on %s: accuracy %.3f (LLM-only %.3f) "
                + "with %.1f %% LLM calls -> %s", alpha, what, best.accuracy(), sc.largeAccuracy(), 100 * share,
                PredictorBundle.CALIBRATION);
    }

    private static double[] scores(TrainedPredictor trained, List<TraceRecord> rows) {
        List<Query> queries = rows.stream().map(r -> Query.of(r.id(), r.query(), null)).toList();
        List<Features> none = queries.stream().map(q -> Features.none()).toList();
        return trained.predictAll(queries, none).stream().mapToDouble(HintPrediction::needProbability).toArray();
    }

    private PredictorTrainer.Builder trainer(QueryEncoder enc, double lambda) {
        return PredictorTrainer.builder(enc).seed(seed).lambda(lambda).maxEpochs(maxEpochs).crossValidationFolds(5);
    }

    private static void print(PrintWriter out, String what, TrainedPredictor trained, int examples) {
        ValidationMetrics m = trained.validationMetrics();
        ModelSelection sel = trained.modelSelection();
        out.println(String.format(Locale.ROOT, "%s: trained on %d examples (%d train / %d validation), %d epochs (best %d):"
                        + " validation ROC-AUC %.3f, log-loss %.3f; best single feature: %s ROC-AUC %.3f", what, examples,
                m.trainExamples(), m.validationExamples(), m.epochs(), m.bestEpoch(), m.rocAuc(), m.logLoss(),
                sel.bestFeature(), sel.bestFeatureAuc()));
        StringBuilder grid = new StringBuilder();
        for (ModelSelection.Scored c : sel.candidates()) {
            grid.append(String.format(Locale.ROOT, "%n  %-26s %s", c.candidate().name(),
                    Double.isNaN(c.meanAuc()) ? "-" : String.format(Locale.ROOT, "%.3f", c.meanAuc())));
        }
        out.println(String.format(Locale.ROOT, "model chosen by %d-fold cross-validation on the training split: %s%s"
                        + "%nmean out-of-fold ROC-AUC per candidate:%s", sel.folds(), sel.chosen(),
                sel.fellBackToFeature() ? " (the CV winner scored below the single feature on validation)" : "", grid));
    }
}
