package dev.shepherd.onnx.training;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.BundleMetadata;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.HeadOutput;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.PredictorBundle;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.ValidationMetrics;
import dev.shepherd.onnx.internal.BundleFiles;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.HeadsPredictor;
import dev.shepherd.onnx.internal.HeadsWeights;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A predictor fresh from {@link PredictorTrainer}: the heads' weights in memory, run by a plain Java
 * forward pass over the (not owned) encoder. {@link #export(Path)} writes the bundle that
 * {@link OnnxHintPredictor} serves. Immutable and thread-safe.
 */
public final class TrainedPredictor implements HintPredictor {

    private final QueryEncoder encoder;
    private final HeadsWeights weights;
    private final BundleMetadata metadata;
    private final List<String> validationIds;
    private final ModelSelection selection;
    private final HeadsPredictor heads;

    TrainedPredictor(QueryEncoder encoder, List<String> featureNames, HeadsWeights weights, HintDecisionRule rule,
                     ValidationMetrics metrics, Instant trainedAt, List<String> validationIds, long seed,
                     ModelSelection selection) {
        this(encoder, weights, new BundleMetadata(featureNames, encoder.id(), encoder.pooling(), encoder.maxLength(),
                encoder.normalize(), encoder.dimension(), rule, trainedAt, metrics, seed, null, encoder.kind()),
                validationIds, selection);
    }

    private TrainedPredictor(QueryEncoder encoder, HeadsWeights weights, BundleMetadata metadata,
                             List<String> validationIds, ModelSelection selection) {
        this.encoder = encoder;
        this.weights = weights;
        this.metadata = metadata;
        this.validationIds = List.copyOf(validationIds);
        this.selection = selection;
        this.heads = new HeadsPredictor("predictor over " + metadata.encoderId(), encoder, metadata.featureNames(),
                (encoded, x) -> {
                    List<HeadOutput> out = new ArrayList<>(x.length);
                    for (int r = 0; r < x.length; r++) {
                        double[] o = weights.forward(encoded.get(r).vector(), x[r]);
                        out.add(new HeadOutput(o[0], o[1]));
                    }
                    return out;
                });
    }

    /** How the model was chosen (cross-validation, candidates) and the single-feature baseline it beats. */
    public ModelSelection modelSelection() {
        return selection;
    }

    /** Everything the bundle will record: features, encoder, rule, validation metrics. */
    public BundleMetadata metadata() {
        return metadata;
    }

    /** Validation metrics of the kept (EMA, best-epoch) weights. */
    public ValidationMetrics validationMetrics() {
        return metadata.metrics();
    }

    /** Ids of the examples held out for validation: calibrate on these, not on training rows. */
    public List<String> validationIds() {
        return validationIds;
    }

    /** The decision rule stored with this predictor. */
    public HintDecisionRule decisionRule() {
        return metadata.rule();
    }

    /**
     * This predictor recording how its {@code mean_entropy} feature was computed ({@code "token"} or
     * {@code "answer"}), so serving can compute it the same way.
     */
    public TrainedPredictor withEntropy(String entropy) {
        return new TrainedPredictor(encoder, weights, metadata.withEntropy(entropy), validationIds, selection);
    }

    /** This predictor with another decision rule (e.g. the one {@link Calibration} chose); weights unchanged. */
    public TrainedPredictor withDecisionRule(HintDecisionRule rule) {
        return new TrainedPredictor(encoder, weights, metadata.withRule(Objects.requireNonNull(rule, "rule")),
                validationIds, selection);
    }

    HeadsWeights weights() {
        return weights;
    }

    /**
     * The raw head outputs for rows of already encoded examples, from the Java forward pass without another encoder
     * call (cross-validation scores held-out rows this way). Each row's features are the example's, as in training.
     *
     * @param data an encoding by this predictor's encoder
     * @param rows the rows to score
     * @throws IllegalArgumentException when {@code data} was encoded by another encoder or a feature is missing
     */
    public List<HeadOutput> headOutputs(EncodedExamples data, int[] rows) {
        if (!data.encoderId().equals(metadata.encoderId())) {
            throw new IllegalArgumentException("data was encoded by '" + data.encoderId() + "' but this predictor "
                    + "reads '" + metadata.encoderId() + "'");
        }
        List<HeadOutput> out = new ArrayList<>(rows.length);
        for (int i : rows) {
            LabeledExample ex = data.example(i);
            EncodedText e = data.encoded(i);
            Map<String, Double> supplied = new LinkedHashMap<>(ex.features());
            supplied.keySet().retainAll(metadata.featureNames());
            double[] o = weights.forward(e.vector(), FeatureVector.assemble(metadata.featureNames(), supplied,
                    e.tokens(), ex.query(), "predictor over " + metadata.encoderId()));
            out.add(new HeadOutput(o[0], o[1]));
        }
        return out;
    }

    @Override
    public Set<String> requiredFeatures() {
        return heads.requiredFeatures();
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        return heads.predict(query, features);
    }

    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        return heads.predictAll(queries, features);
    }

    /** The raw head outputs from the Java forward pass (for checks against ONNX Runtime). */
    public List<HeadOutput> headOutputs(List<Query> queries, List<Features> features) {
        return heads.headOutputs(queries, features);
    }

    /**
     * Writes the bundle: {@code dir/heads.onnx} (heads + normalisation + metadata; {@code heads-reactive.onnx}
     * when these heads read the reactive features, so a query-only and a reactive predictor over the same encoder
     * share one bundle directory) and the encoder's files under {@code dir/encoder/} (hard-linked where the file
     * system allows, else copied): {@code model.onnx} + {@code tokenizer.json} for a {@link TextEncoder},
     * {@code static-embeddings.bin} + {@code tokenizer.json} for a {@link StaticEncoder}.
     *
     * @return {@code dir}
     * @throws BundleException when the directory cannot be written
     */
    public Path export(Path dir) {
        Objects.requireNonNull(dir, "dir");
        PredictorBundle bundle = PredictorBundle.at(dir);
        byte[] heads = BundleFiles.headsModel(weights, metadata);
        if (encoder instanceof StaticEncoder s) {
            bundle.writeStaticHeads(heads, s.table(), s.tokenizer());
        } else {
            bundle.writeHeads(heads, ((TextEncoder) encoder).files());
        }
        return dir;
    }

    @Override
    public String toString() {
        return "TrainedPredictor[" + metadata.encoderId() + ", features=" + metadata.featureNames() + ", "
                + metadata.metrics() + "]";
    }
}
