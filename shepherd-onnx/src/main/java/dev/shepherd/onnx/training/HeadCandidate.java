package dev.shepherd.onnx.training;

import java.util.Locale;
import java.util.Objects;

/**
 * One model configuration that {@link PredictorTrainer} may choose by cross-validation: a head network over
 * the embedding and the features (or the features only), or the single cheap feature that ranks the
 * training rows best, fitted as a one-variable logistic regression. Immutable.
 *
 * @param name          a short name for logs and reports
 * @param kind          network or single feature
 * @param useEmbedding  whether the network sees the encoder's embedding (false: features only)
 * @param hidden        width of the fused trunk
 * @param featureHidden width of the feature MLP
 * @param dropout       dropout rate on the trunk output, in [0, 0.9]
 * @param weightDecay   AdamW decoupled weight decay, in [0, 1)
 * @param learningRate  AdamW learning rate, in (0, 1]
 * @param l2            L2 penalty of a linear candidate (loss summed over rows), ≥ 0
 */
public record HeadCandidate(String name, Kind kind, boolean useEmbedding, int hidden, int featureHidden,
                            double dropout, double weightDecay, double learningRate, double l2) {

    /** What a candidate trains. */
    public enum Kind {
        /** The two-stage heads network (docs/method.md#predictor). */
        NETWORK,
        /** An L2-regularised logistic regression on the standardised features (and optionally the embedding). */
        LINEAR,
        /** The single best cheap feature (picked on the training rows), sign-corrected, logistic. */
        SINGLE_FEATURE,
        /**
         * Two stages, linear overall: a ridge regression (penalty l2) of the log of the large model's recorded
         * answer length on the standardised features, then a one-variable logistic regression of the label on
         * that predicted length. The answer length (how many steps the question takes) is a continuous,
         * less noisy target than the binary label and is recorded for every training row; it is never an input.
         * Needs {@link LabeledExample#largeAnswerTokens()} on every training row (else it is skipped).
         */
        ANSWER_LENGTH
    }

    public HeadCandidate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.NETWORK && (hidden < 1 || featureHidden < 1 || !(dropout >= 0 && dropout <= 0.9)
                || !(weightDecay >= 0 && weightDecay < 1) || !(learningRate > 0 && learningRate <= 1))
                || !(l2 >= 0 && Double.isFinite(l2))) {
            throw new IllegalArgumentException("invalid candidate " + name + ": hidden=" + hidden + ", featureHidden="
                    + featureHidden + ", dropout=" + dropout + ", weightDecay=" + weightDecay + ", learningRate="
                    + learningRate + ", l2=" + l2);
        }
    }

    /** A heads network over the embedding and the features. */
    public static HeadCandidate network(String name, int hidden, int featureHidden, double dropout,
                                        double weightDecay, double learningRate) {
        return new HeadCandidate(name, Kind.NETWORK, true, hidden, featureHidden, dropout, weightDecay, learningRate,
                0);
    }

    /** A logistic regression with penalty l2·‖w‖² over the features, and the embedding when asked. */
    public static HeadCandidate linear(String name, boolean useEmbedding, double l2) {
        return new HeadCandidate(name, Kind.LINEAR, useEmbedding, 1, 1, 0, 0, 1, l2);
    }

    /** A heads network over the features only: the embedding's weights are fixed at 0. */
    public static HeadCandidate featuresOnly(String name, int hidden, int featureHidden, double dropout,
                                             double weightDecay, double learningRate) {
        return new HeadCandidate(name, Kind.NETWORK, false, hidden, featureHidden, dropout, weightDecay, learningRate, 0);
    }

    /** The answer-length model (see {@link Kind#ANSWER_LENGTH}) with ridge penalty l2 (loss summed over rows). */
    public static HeadCandidate answerLength(String name, double l2) {
        return new HeadCandidate(name, Kind.ANSWER_LENGTH, false, 1, 1, 0, 0, 1, l2);
    }

    /** The best single cheap feature as a logistic model (the floor every other candidate must beat). */
    public static HeadCandidate singleFeature() {
        return new HeadCandidate("single-feature", Kind.SINGLE_FEATURE, false, 1, 1, 0, 0, 1, 0);
    }

    @Override
    public String toString() {
        if (kind == Kind.ANSWER_LENGTH) {
            return String.format(Locale.ROOT, "%s(answer length, ridge l2=%.3g)", name, l2);
        }
        if (kind == Kind.LINEAR) {
            return String.format(Locale.ROOT, "%s(linear, embedding=%s, l2=%.3g)", name,
                    useEmbedding ? "on" : "off", l2);
        }
        return kind == Kind.SINGLE_FEATURE ? name : String.format(Locale.ROOT,
                "%s(embedding=%s, hidden=%d, featureHidden=%d, dropout=%.2f, weightDecay=%.3g, lr=%.3g)", name,
                useEmbedding ? "on" : "off", hidden, featureHidden, dropout, weightDecay, learningRate);
    }
}
