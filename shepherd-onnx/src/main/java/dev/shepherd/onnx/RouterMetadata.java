package dev.shepherd.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an N-way router bundle ({@code router.onnx}) records about itself, stored as the ONNX metadata property
 * {@value #KEY} (JSON) beside {@code shepherd.format = }{@value #FORMAT}. Immutable.
 *
 * @param models the models routed among, in the order of the graph's output columns
 * @param meanOutputTokens per model, its mean answer length in the training trace (the router's cost estimate)
 * @param featureNames the numeric query features the graph reads, in order (computed from the query)
 * @param encoderId the encoder the router was trained over
 * @param pooling its pooling
 * @param maxLength its max length in tokens
 * @param normalize whether its vectors are L2-normalised
 * @param embeddingDim its vector length
 * @param lambda the calibrated operating λ of {@link CostAwareChoice}
 * @param targetShare the share of the most expensive model's accuracy λ was calibrated to reach
 * @param trainedAt when training finished
 * @param seed the training seed
 * @param examples the number of queries trained on
 * @param heads per model, how its head was chosen and how well it ranked out of fold
 * @param encoderKind the kind of encoder ({@code encoder_kind}: {@code transformer}, or {@code static} for token
 *                    embeddings distilled from a transformer); routers written before it was recorded are transformer
 *                    routers
 */
public record RouterMetadata(List<String> models, List<Double> meanOutputTokens, List<String> featureNames,
                             String encoderId, Pooling pooling, int maxLength, boolean normalize, int embeddingDim,
                             double lambda, double targetShare, Instant trainedAt, long seed, int examples,
                             List<Head> heads, EncoderKind encoderKind) {

    /** The format tag of router bundles. */
    public static final String FORMAT = "shepherd-router-1";
    /** The ONNX metadata key holding this record as JSON. */
    public static final String KEY = "shepherd.router";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates and copies. */
    public RouterMetadata {
        models = List.copyOf(models);
        meanOutputTokens = List.copyOf(meanOutputTokens);
        featureNames = List.copyOf(featureNames);
        heads = List.copyOf(heads);
        Objects.requireNonNull(encoderId, "encoderId");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(trainedAt, "trainedAt");
        Objects.requireNonNull(encoderKind, "encoderKind");
        if (models.size() < 2 || meanOutputTokens.size() != models.size() || heads.size() != models.size()) {
            throw new IllegalArgumentException("a router needs >= 2 models with one mean output length and one head "
                    + "each but had " + models.size() + " models, " + meanOutputTokens.size() + " lengths, "
                    + heads.size() + " heads");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0 but was " + lambda);
        }
    }

    /** Metadata of a transformer router (the layout before {@link EncoderKind} was recorded). */
    public RouterMetadata(List<String> models, List<Double> meanOutputTokens, List<String> featureNames,
                          String encoderId, Pooling pooling, int maxLength, boolean normalize, int embeddingDim,
                          double lambda, double targetShare, Instant trainedAt, long seed, int examples,
                          List<Head> heads) {
        this(models, meanOutputTokens, featureNames, encoderId, pooling, maxLength, normalize, embeddingDim, lambda,
                targetShare, trainedAt, seed, examples, heads, EncoderKind.TRANSFORMER);
    }

    /**
     * One model's head.
     *
     * @param model the model
     * @param candidate the candidate cross-validation chose ({@code features-linear}, {@code embedding-pca-l2=10}, …)
     * @param outOfFoldAuc ROC-AUC of its out-of-fold probabilities against "answered well" (quality ≥ 0.5); NaN when
     *                     one class is absent
     * @param outOfFoldLogLoss its out-of-fold cross-entropy (before calibration)
     * @param constantLogLoss the cross-entropy of always predicting the model's mean quality (what the head must beat)
     * @param accuracy the model's mean quality in the training trace
     * @param plattA the calibration slope: P = σ(a · logit + b)
     * @param plattB the calibration intercept
     */
    public record Head(String model, String candidate, double outOfFoldAuc, double outOfFoldLogLoss,
                       double constantLogLoss, double accuracy, double plattA, double plattB) {
    }

    /** As ONNX metadata properties. */
    public Map<String, String> toProperties() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode ms = n.putArray("models");
        models.forEach(ms::add);
        ArrayNode out = n.putArray("mean_output_tokens");
        meanOutputTokens.forEach(out::add);
        ArrayNode fs = n.putArray("feature_names");
        featureNames.forEach(fs::add);
        n.put("encoder_id", encoderId).put("encoder_kind", encoderKind.metadataValue()).put("pooling", pooling.name())
                .put("max_length", maxLength).put("normalize", normalize).put("embedding_dim", embeddingDim)
                .put("lambda", lambda)
                .put("target_share", targetShare).put("trained_at", trainedAt.toString()).put("seed", seed)
                .put("examples", examples);
        ArrayNode hs = n.putArray("heads");
        for (Head h : heads) {
            hs.addObject().put("model", h.model()).put("candidate", h.candidate()).put("oof_auc", h.outOfFoldAuc())
                    .put("oof_log_loss", h.outOfFoldLogLoss()).put("constant_log_loss", h.constantLogLoss())
                    .put("accuracy", h.accuracy()).put("platt_a", h.plattA()).put("platt_b", h.plattB());
        }
        try {
            return Map.of("shepherd.format", FORMAT, KEY, JSON.writeValueAsString(n));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the properties of a {@code router.onnx}.
     *
     * @throws BundleException naming the file when it is not a router or its metadata is malformed
     */
    public static RouterMetadata fromProperties(Map<String, String> props, Path file) {
        if (!FORMAT.equals(props.get("shepherd.format"))) {
            throw new BundleException(file, "not a shepherd router: metadata 'shepherd.format' is "
                    + props.get("shepherd.format") + ", expected " + FORMAT);
        }
        String json = props.get(KEY);
        if (json == null) {
            throw new BundleException(file, "metadata '" + KEY + "' is missing");
        }
        try {
            JsonNode n = JSON.readTree(json);
            List<Head> heads = new ArrayList<>();
            for (JsonNode h : n.get("heads")) {
                heads.add(new Head(h.get("model").asText(), h.get("candidate").asText(), h.get("oof_auc").asDouble(),
                        h.get("oof_log_loss").asDouble(), h.get("constant_log_loss").asDouble(),
                        h.get("accuracy").asDouble(), h.get("platt_a").asDouble(), h.get("platt_b").asDouble()));
            }
            return new RouterMetadata(texts(n.get("models")), numbers(n.get("mean_output_tokens")),
                    texts(n.get("feature_names")), n.get("encoder_id").asText(), Pooling.valueOf(n.get("pooling").asText()),
                    n.get("max_length").asInt(), n.get("normalize").asBoolean(), n.get("embedding_dim").asInt(),
                    n.get("lambda").asDouble(), n.get("target_share").asDouble(),
                    Instant.parse(n.get("trained_at").asText()), n.get("seed").asLong(), n.get("examples").asInt(),
                    heads, EncoderKind.fromMetadata(n.hasNonNull("encoder_kind") ? n.get("encoder_kind").asText()
                            : null));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new BundleException(file, "malformed router metadata: " + e.getMessage(), e);
        }
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<Double> numbers(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asDouble()));
        return out;
    }
}
