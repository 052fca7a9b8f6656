package dev.shepherd.cli;

import dev.shepherd.cli.eval.RoutingScores;
import dev.shepherd.cli.trace.RouteLlmTrace;
import dev.shepherd.cli.trace.TraceRow;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.SampleFeatures.EntropySource;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.BundleMetadata;
import dev.shepherd.onnx.PredictorBundle;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.PredictorUse;
import dev.shepherd.onnx.BundleCalibration;
import dev.shepherd.cli.live.PolicyPredictors;
import dev.shepherd.cli.eval.LabelReplayEvaluator;
import dev.shepherd.core.hint.HintPredictor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Opens predictor bundles (shepherd-onnx) for the command line and turns their failures into input errors. Every
 * file of a bundle is read by shepherd-onnx ({@link PredictorBundle}); the calibrated rules are the ones
 * {@link OnnxHintPredictor#load} applies ({@link OnnxHintPredictor#rule(PredictorUse)}). Stateless and thread-safe.
 */
final class Predictors {

    private Predictors() {
    }

    /**
     * Opens a bundle.
     *
     * @param bundle the bundle directory
     * @return the predictor
     * @throws InputException when the directory is not a readable bundle
     */
    static OnnxHintPredictor open(Path bundle) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // never let DJL reach for the network
        }
        if (!Files.isDirectory(bundle)) {
            throw new InputException(bundle.toString(), 0, null, "predictor bundle directory not found");
        }
        try {
            return OnnxHintPredictor.load(bundle);
        } catch (BundleException e) {
            throw new InputException(bundle.toString(), 0, null, "not a usable predictor bundle: " + e.getMessage(), e);
        }
    }

    /**
     * Scores every trace row with the bundle's need-help probability; the threshold is the bundle's α.
     *
     * @param bundle the bundle directory
     * @param trace the trace
     * @return the scores
     */
    static RoutingScores routingScores(Path bundle, RouteLlmTrace trace) {
        try (OnnxHintPredictor onnx = open(bundle)) {
            HintPredictor p = forUse(bundle, onnx, PredictorUse.ROUTING);
            List<Query> queries = new ArrayList<>(trace.size());
            List<Features> features = new ArrayList<>(trace.size());
            for (TraceRow r : trace.rows()) {
                queries.add(Query.of("row-" + r.line(), r.prompt(), null));
                features.add(Features.none());
            }
            List<HintPrediction> predictions = p.predictAll(queries, features);
            double[] scores = predictions.stream().mapToDouble(HintPrediction::needProbability).toArray();
            return new RoutingScores(bundle.toString(), scores, OptionalDouble.of(onnx.rule(PredictorUse.ROUTING).alpha()));
        }
    }

    /**
     * The bundle's predictor for a use.
     *
     * @throws InputException when the bundle has no heads for it
     */
    static HintPredictor forUse(Path bundle, OnnxHintPredictor predictor, PredictorUse use) {
        try {
            return predictor.forUse(use);
        } catch (BundleException e) {
            throw new InputException(bundle.toString(), 0, null, e.getMessage(), e);
        }
    }

    /**
     * The bundle's heads and calibrated rule for each predictor policy, failing with the bundle's reason when it
     * cannot serve one (e.g. no reactive heads).
     *
     * @param useCalibratedAgreement whether reactive shepherding takes the calibrated k (false when the user set one)
     */
    static PolicyPredictors policyPredictors(Path bundle, OnnxHintPredictor predictor, boolean useCalibratedAgreement) {
        return policy -> {
            PredictorUse use = PredictorUse.parse(policy);
            Integer k = useCalibratedAgreement ? predictor.calibration().entry(use)
                    .map(BundleCalibration.Entry::agreement).orElse(null) : null;
            HintPredictor heads = forUse(bundle, predictor, use);
            String entropy = use == PredictorUse.REACTIVE
                    ? predictor.reactiveMetadata().map(BundleMetadata::entropy).orElse(null) : null;
            return new PolicyPredictors.Selection(heads, predictor.rule(use), k,
                    entropy == null ? null : EntropySource.parse(entropy));
        };
    }

    /** The bundle as label replay uses it; {@code agreement} overrides the calibrated k when not null. */
    static LabelReplayEvaluator.Bundle replayBundle(Path bundle, OnnxHintPredictor p, Integer agreement) {
        HintPredictor reactive = p.hasReactiveHeads() ? p.forUse(PredictorUse.REACTIVE) : null;
        Integer k = agreement != null ? agreement : p.calibration().entry(PredictorUse.REACTIVE)
                .map(BundleCalibration.Entry::agreement).orElse(null);
        HintPredictor queryOnly = null;
        try {
            queryOnly = p.forUse(PredictorUse.PROACTIVE);
        } catch (BundleException e) {
            // a bundle with reactive heads only: the query-only strategies are left out
        }
        return new LabelReplayEvaluator.Bundle(bundle.toString(), queryOnly, reactive,
                queryOnly == null ? null : p.rule(PredictorUse.ROUTING),
                queryOnly == null ? null : p.rule(PredictorUse.PROACTIVE),
                reactive == null ? null : p.rule(PredictorUse.REACTIVE), k);
    }

    /**
     * Returns how many of the trace's prompts the bundle was trained on (0 when it does not say).
     *
     * @throws InputException when the bundle's training manifest is unreadable
     */
    static int trainedOverlap(Path bundle, RouteLlmTrace trace) {
        try {
            return PredictorBundle.at(bundle).readTrainingManifest()
                    .map(m -> (int) trace.rows().stream().filter(r -> m.trainedOn(r.prompt())).count()).orElse(0);
        } catch (BundleException e) {
            throw new InputException(bundle.toString(), 0, null, e.getMessage(), e);
        }
    }
}
