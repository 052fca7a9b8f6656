package dev.shepherd.onnx.training;

import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.PredictorBundle;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.OnnxRouter;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.RouterMetadata;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.RouterWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Collections;
import java.util.LinkedHashMap;

/**
 * An N-way router fresh from {@link RouterTrainer}: its heads (in Java, for checks) and what it was calibrated to;
 * {@link #export} writes the bundle {@link OnnxRouter} serves. Immutable; thread-safe as its encoder is.
 */
public final class TrainedRouter {

    private final QueryEncoder encoder;
    private final RouterWeights weights;
    private final RouterMetadata metadata;
    private final Calibration calibration;

    TrainedRouter(QueryEncoder encoder, RouterWeights weights, RouterMetadata metadata, Calibration calibration) {
        this.encoder = encoder;
        this.weights = weights;
        this.metadata = metadata;
        this.calibration = calibration;
    }

    /**
     * The operating point λ was calibrated to, on the out-of-fold probabilities of the training queries.
     *
     * @param lambda the λ chosen
     * @param accuracy the routed accuracy at λ
     * @param costUsd the routed total cost at λ (at the training prices)
     * @param referenceAccuracy the most expensive model's accuracy
     * @param target the accuracy λ had to keep (target share × reference accuracy)
     * @param shares each model's share of the queries at λ
     * @param queries the queries calibrated on
     * @param reached whether the accuracy at λ reaches the target
     */
    public record Calibration(double lambda, double accuracy, double costUsd, double referenceAccuracy, double target,
                              Map<String, Double> shares, int queries, boolean reached) {

        /** Copies. */
        public Calibration {
            shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
        }
    }

    /** What the bundle will record. */
    public RouterMetadata metadata() {
        return metadata;
    }

    /** The calibrated operating point. */
    public Calibration calibration() {
        return calibration;
    }

    /** Each model's calibrated success probability per query, {@code [query][model]}, from the Java forward pass. */
    public double[][] probabilities(List<String> queries) {
        Objects.requireNonNull(queries, "queries");
        double[][] out = new double[queries.size()][];
        for (int from = 0; from < queries.size(); from += 32) {
            int to = Math.min(from + 32, queries.size());
            List<EncodedText> enc = encoder.encodeAll(new ArrayList<>(queries.subList(from, to)));
            for (int i = from; i < to; i++) {
                EncodedText e = enc.get(i - from);
                double[] x = FeatureVector.assemble(metadata.featureNames(), Map.of(), e.tokens(), queries.get(i),
                        "router");
                out[i] = weights.probabilities(e.vector(), x);
            }
        }
        return out;
    }

    /**
     * Writes the bundle: {@code dir/router.onnx} (heads, standardisation, calibration, metadata) and the encoder's
     * files under {@code dir/encoder/} (hard-linked where the file system allows, else copied), the layout predictor
     * bundles use ({@code PredictorBundle#writeRouter}): {@code model.onnx} + {@code tokenizer.json} for a transformer,
     * {@code static-embeddings.bin} + {@code tokenizer.json} for a static encoder. A router and a predictor over the
     * same encoder can share a directory.
     *
     * @return {@code dir}
     * @throws BundleException when the directory cannot be written
     */
    public Path export(Path dir) {
        Objects.requireNonNull(dir, "dir");
        PredictorBundle.at(dir).writeRouter(RouterGraph.model(weights, metadata).toByteArray(), encoder);
        return dir;
    }

    @Override
    public String toString() {
        return "TrainedRouter[" + metadata.models() + ", lambda=" + metadata.lambda() + "]";
    }
}
