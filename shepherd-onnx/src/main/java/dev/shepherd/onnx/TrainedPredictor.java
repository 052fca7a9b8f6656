package dev.shepherd.onnx;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.internal.BundleFiles;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.HeadsWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A predictor fresh from {@link PredictorTrainer}: the heads' weights in memory, run by a plain Java
 * forward pass over the (not owned) encoder. {@link #export(Path)} writes the bundle that
 * {@link OnnxHintPredictor} serves. Immutable and thread-safe.
 */
public final class TrainedPredictor implements HintPredictor {

    private static final int BATCH = 32;

    private final QueryEncoder encoder;
    private final HeadsWeights weights;
    private final BundleMetadata metadata;
    private final List<String> validationIds;
    private final ModelSelection selection;

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

    @Override
    public Set<String> requiredFeatures() {
        return QueryFeatures.callerSupplied(metadata.featureNames());
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        return predictAll(List.of(query), List.of(features)).get(0);
    }

    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        List<EncodedText> encoded = new ArrayList<>(queries.size());
        return HeadOutput.predictions(headOutputs(queries, features, encoded), encoded);
    }

    /** The raw head outputs from the Java forward pass (for checks against ONNX Runtime). */
    public List<HeadOutput> headOutputs(List<Query> queries, List<Features> features) {
        return headOutputs(queries, features, new ArrayList<>());
    }

    private List<HeadOutput> headOutputs(List<Query> queries, List<Features> features, List<EncodedText> encodedOut) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(features, "features");
        if (queries.size() != features.size()) {
            throw new IllegalArgumentException("queries and features must have the same size but were "
                    + queries.size() + " and " + features.size());
        }
        List<HeadOutput> out = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += BATCH) {
            int to = Math.min(from + BATCH, queries.size());
            List<EncodedText> enc = encoder.encodeAll(queries.subList(from, to).stream().map(Query::text).toList());
            for (int i = from; i < to; i++) {
                EncodedText e = enc.get(i - from);
                double[] x = FeatureVector.assemble(metadata.featureNames(), features.get(i).asMap(), e.tokens(),
                        queries.get(i).text(), "predictor over " + metadata.encoderId());
                double[] o = weights.forward(e.vector(), x);
                out.add(new HeadOutput(o[0], o[1]));
                encodedOut.add(e);
            }
        }
        return out;
    }

    /**
     * Writes the bundle: {@code dir/heads.onnx} (heads + normalisation + metadata; {@code heads-reactive.onnx}
     * when these heads read the reactive features, so a query-only and a reactive predictor over the same encoder
     * share one bundle directory) and the encoder's files under {@code dir/encoder/} (hard-linked where the file
     * system allows, else copied): {@code model.onnx} + {@code tokenizer.json} for a {@link TextEncoder},
     * {@code static-embeddings.bin} + {@code tokenizer.json} for a {@link StaticEncoder}.
     *
     * @return {@code dir}
     * @throws UncheckedIOException when the directory cannot be written
     */
    public Path export(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            if (encoder instanceof StaticEncoder s) {
                BundleFiles.writeStatic(dir, BundleFiles.headsModel(weights, metadata), metadata, s.table(),
                        s.tokenizer());
            } else {
                TextEncoder t = (TextEncoder) encoder;
                BundleFiles.write(dir, BundleFiles.headsModel(weights, metadata), metadata, t.files().model(),
                        t.files().tokenizer());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write predictor bundle to " + dir, e);
        }
        return dir;
    }

    @Override
    public String toString() {
        return "TrainedPredictor[" + metadata.encoderId() + ", features=" + metadata.featureNames() + ", "
                + metadata.metrics() + "]";
    }
}
