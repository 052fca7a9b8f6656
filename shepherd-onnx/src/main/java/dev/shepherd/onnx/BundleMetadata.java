package dev.shepherd.onnx;

import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a predictor bundle records about itself, stored as metadata properties of {@code heads.onnx}
 * (readable by any ONNX Runtime session). Immutable.
 *
 * @param featureNames   numeric inputs of the heads, in order
 * @param encoderId      the encoder the heads were trained over
 * @param pooling        its pooling
 * @param maxLength      its max length in tokens
 * @param normalize      whether its vectors are L2-normalised
 * @param embeddingDim   its vector length
 * @param rule           α, η_hint, N_max (calibrated or as trained)
 * @param trainedAt      when training finished
 * @param metrics        validation metrics of the kept weights
 * @param seed           the training seed
 * @param entropy        for a reactive head: how {@code mean_entropy} was computed when it was trained
 *                       ({@code "token"}: mean token entropy from log-probabilities; {@code "answer"}: entropy of the
 *                       K samples' final answers); serving must compute it the same way. {@code null} otherwise
 * @param encoderKind    the kind of encoder ({@code shepherd.encoder}: {@code transformer}, or {@code static} for
 *                       token embeddings distilled from the transformer named by {@code encoderId}); bundles written
 *                       before this field are transformer bundles
 */
public record BundleMetadata(List<String> featureNames, String encoderId, Pooling pooling, int maxLength,
                             boolean normalize, int embeddingDim, HintDecisionRule rule, Instant trainedAt,
                             ValidationMetrics metrics, long seed, String entropy, EncoderKind encoderKind) {

    /** Version of the bundle layout this code writes and reads. */
    public static final String FORMAT = "shepherd-predictor-1";
    private static final String P = "shepherd.";

    public BundleMetadata {
        featureNames = List.copyOf(featureNames);
        Objects.requireNonNull(encoderId, "encoderId");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(trainedAt, "trainedAt");
        Objects.requireNonNull(metrics, "metrics");
        if (entropy != null && !entropy.equals("token") && !entropy.equals("answer")) {
            throw new IllegalArgumentException("entropy must be 'token', 'answer' or null but was '" + entropy + "'");
        }
        Objects.requireNonNull(encoderKind, "encoderKind");
    }

    /** Metadata of transformer heads (the layout before {@link EncoderKind} was recorded). */
    public BundleMetadata(List<String> featureNames, String encoderId, Pooling pooling, int maxLength,
                          boolean normalize, int embeddingDim, HintDecisionRule rule, Instant trainedAt,
                          ValidationMetrics metrics, long seed, String entropy) {
        this(featureNames, encoderId, pooling, maxLength, normalize, embeddingDim, rule, trainedAt, metrics, seed,
                entropy, EncoderKind.TRANSFORMER);
    }

    /** Metadata without an entropy definition (a proactive head, or one trained before it was recorded). */
    public BundleMetadata(List<String> featureNames, String encoderId, Pooling pooling, int maxLength,
                          boolean normalize, int embeddingDim, HintDecisionRule rule, Instant trainedAt,
                          ValidationMetrics metrics, long seed) {
        this(featureNames, encoderId, pooling, maxLength, normalize, embeddingDim, rule, trainedAt, metrics, seed,
                null, EncoderKind.TRANSFORMER);
    }

    /**
     * Whether these heads read what only reactive shepherding has: features of the small model's K samples
     * ({@code mean_entropy}, {@code mean_output_length}).
     */
    public boolean isReactive() {
        return featureNames.contains(Features.MEAN_ENTROPY) || featureNames.contains(Features.MEAN_OUTPUT_LENGTH);
    }

    /** This metadata with the entropy definition the reactive head was trained on. */
    public BundleMetadata withEntropy(String newEntropy) {
        return new BundleMetadata(featureNames, encoderId, pooling, maxLength, normalize, embeddingDim, rule,
                trainedAt, metrics, seed, newEntropy, encoderKind);
    }

    /** This metadata with another decision rule (after calibration). */
    public BundleMetadata withRule(HintDecisionRule newRule) {
        return new BundleMetadata(featureNames, encoderId, pooling, maxLength, normalize, embeddingDim, newRule,
                trainedAt, metrics, seed, entropy, encoderKind);
    }

    /** As ONNX metadata properties. */
    public Map<String, String> toProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(P + "format", FORMAT);
        m.put(P + "feature_names", String.join(",", featureNames));
        m.put(P + "encoder", encoderKind.metadataValue());
        m.put(P + "encoder.id", encoderId);
        m.put(P + "encoder.pooling", pooling.name());
        m.put(P + "encoder.max_length", Integer.toString(maxLength));
        m.put(P + "encoder.normalize", Boolean.toString(normalize));
        m.put(P + "encoder.dimension", Integer.toString(embeddingDim));
        m.put(P + "alpha", Double.toString(rule.alpha()));
        m.put(P + "eta_hint", Integer.toString(rule.etaHint()));
        m.put(P + "max_hint", Integer.toString(rule.maxHint()));
        m.put(P + "hint_scale", Double.toString(rule.hintScale()));
        m.put(P + "trained_at", trainedAt.toString());
        m.put(P + "seed", Long.toString(seed));
        m.put(P + "validation.roc_auc", Double.toString(metrics.rocAuc()));
        m.put(P + "validation.log_loss", Double.toString(metrics.logLoss()));
        m.put(P + "validation.size_mae", Double.toString(metrics.sizeMae()));
        m.put(P + "validation.train_examples", Integer.toString(metrics.trainExamples()));
        m.put(P + "validation.examples", Integer.toString(metrics.validationExamples()));
        m.put(P + "validation.epochs", Integer.toString(metrics.epochs()));
        m.put(P + "validation.best_epoch", Integer.toString(metrics.bestEpoch()));
        if (entropy != null) {
            m.put(P + "entropy", entropy);
        }
        return m;
    }

    /**
     * Parses the properties of a {@code heads.onnx}.
     *
     * @throws BundleException naming the file and the key that is missing or malformed
     */
    public static BundleMetadata fromProperties(Map<String, String> props, Path file) {
        Reader r = new Reader(props, file);
        if (!FORMAT.equals(props.get(P + "format"))) {
            throw new BundleException(file, "not a shepherd predictor bundle: metadata '" + P + "format' is "
                    + props.get(P + "format") + ", expected " + FORMAT);
        }
        try {
            ValidationMetrics metrics = new ValidationMetrics(r.dbl("validation.roc_auc"), r.dbl("validation.log_loss"),
                    r.dbl("validation.size_mae"), r.integer("validation.train_examples"),
                    r.integer("validation.examples"), r.integer("validation.epochs"), r.integer("validation.best_epoch"));
            HintDecisionRule rule = new HintDecisionRule(r.dbl("alpha"), r.integer("eta_hint"), r.integer("max_hint"),
                    props.containsKey(P + "hint_scale") ? r.dbl("hint_scale") : 1.0);
            return new BundleMetadata(Arrays.asList(r.get("feature_names").split(",")), r.get("encoder.id"),
                    Pooling.valueOf(r.get("encoder.pooling")), r.integer("encoder.max_length"),
                    Boolean.parseBoolean(r.get("encoder.normalize")), r.integer("encoder.dimension"), rule,
                    Instant.parse(r.get("trained_at")), metrics, Long.parseLong(r.get("seed")), props.get(P + "entropy"),
                    EncoderKind.fromMetadata(props.get(P + "encoder")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new BundleException(file, "malformed metadata: " + e.getMessage(), e);
        }
    }

    private record Reader(Map<String, String> props, Path file) {
        String get(String key) {
            String v = props.get(P + key);
            if (v == null) {
                throw new BundleException(file, "metadata '" + P + key + "' is missing");
            }
            return v;
        }

        double dbl(String key) {
            try {
                return Double.parseDouble(get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata '" + P + key + "' must be a number but was " + get(key));
            }
        }

        int integer(String key) {
            try {
                return Integer.parseInt(get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metadata '" + P + key + "' must be an integer but was " + get(key));
            }
        }
    }
}
