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
 * Loads predictor bundles (shepherd-onnx) for the command line, with the two files the command line keeps beside
 * a bundle: {@value #CALIBRATION} (a rule chosen by {@code shepherd calibrate}, applied on load) and
 * {@value #TRAINING} (SHA-256 of the prompts a router was trained on, to flag in-sample evaluation).
 * Stateless and thread-safe.
 */
final class Predictors {

    /** The calibrated decision rule written by {@code shepherd calibrate}. */
    static final String CALIBRATION = "shepherd-calibration.json";
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

    /** Returns the bundle's rule: the calibrated one when {@code shepherd calibrate} wrote it, else the trained one. */
    static HintDecisionRule rule(Path bundle, OnnxHintPredictor predictor) {
        Path file = bundle.resolve(CALIBRATION);
        if (!Files.isRegularFile(file)) {
            return predictor.decisionRule();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new HintDecisionRule(n.get("alpha").asDouble(), n.get("eta_hint").asInt(), n.get("max_hint").asInt());
        } catch (IOException | RuntimeException e) {
            throw new InputException(file.toString(), 0, null, "unreadable calibration: " + e.getMessage(), e);
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
        try (OnnxHintPredictor p = open(bundle)) {
            Set<String> extra = new HashSet<>(p.requiredFeatures());
            if (!extra.isEmpty()) {
                throw new InputException(bundle.toString(), 0, null, "the predictor needs features " + extra
                        + " that a recorded trace does not have (train a query-only router with: "
                        + "shepherd train --trace routellm:FILE --out DIR)");
            }
            List<Query> queries = new ArrayList<>(trace.size());
            List<Features> features = new ArrayList<>(trace.size());
            for (TraceRow r : trace.rows()) {
                queries.add(Query.of("row-" + r.line(), r.prompt(), null));
                features.add(Features.none());
            }
            List<HintPrediction> predictions = p.predictAll(queries, features);
            double[] scores = predictions.stream().mapToDouble(HintPrediction::needProbability).toArray();
            return new RoutingScores(bundle.toString(), scores, OptionalDouble.of(rule(bundle, p).alpha()));
        }
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
