package dev.shepherd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.eval.RoutingScores;
import dev.shepherd.cli.trace.RouteLlmTrace;
import dev.shepherd.cli.trace.TraceRow;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.PredictorUse;
import dev.shepherd.core.hint.HintPredictor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Loads predictor bundles (shepherd-onnx) for the command line, with the file the command line keeps beside
 * a bundle: {@value #TRAINING} (SHA-256 of the prompts a router was trained on, to flag in-sample evaluation).
 * The calibrated rules are the bundle's own ({@link OnnxHintPredictor#rule(PredictorUse)}).
 * Stateless and thread-safe.
 */
final class Predictors {

    /** What {@code shepherd train} trained on. */
    static final String TRAINING = "shepherd-training.json";

    private static final ObjectMapper JSON = new ObjectMapper();

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
     * What a named policy needs from a bundle: the heads for its use and the rule calibrated for it (and, for
     * reactive shepherding, the calibrated k). Policies that use no predictor get nulls.
     *
     * @param predictor the heads the policy reads, or {@code null}
     * @param rule      the calibrated (else trained) rule, or {@code null}
     * @param agreement the calibrated k of reactive shepherding, or {@code null}
     */
    record Selection(HintPredictor predictor, HintDecisionRule rule, Integer agreement) {
    }

    /** The bundle's predictor, rule and k for a policy name; nulls for policies without a predictor use. */
    static Selection select(Path bundle, OnnxHintPredictor predictor, String policyName) {
        PredictorUse use;
        try {
            use = PredictorUse.parse(policyName);
        } catch (IllegalArgumentException e) {
            return new Selection(null, null, null);
        }
        Integer k = predictor.calibration().entry(use).map(dev.shepherd.onnx.BundleCalibration.Entry::agreement)
                .orElse(null);
        return new Selection(forUse(bundle, predictor, use), predictor.rule(use), k);
    }

    /** Returns how many of the trace's prompts the bundle was trained on (0 when it does not say). */
    static int trainedOverlap(Path bundle, RouteLlmTrace trace) {
        Path file = bundle.resolve(TRAINING);
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try {
            Set<String> trained = new HashSet<>();
            JSON.readTree(file.toFile()).get("trained_on_prompt_sha256").forEach(n -> trained.add(n.asText()));
            int overlap = 0;
            for (TraceRow r : trace.rows()) {
                overlap += trained.contains(sha256(r.prompt())) ? 1 : 0;
            }
            return overlap;
        } catch (IOException | RuntimeException e) {
            throw new InputException(file.toString(), 0, null, "unreadable training manifest: " + e.getMessage(), e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
