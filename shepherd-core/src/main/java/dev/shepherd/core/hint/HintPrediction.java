package dev.shepherd.core.hint;

/**
 * The two-stage predictor's output for one query. Immutable.
 *
 * @param needProbability P(q) = σ(ŷ): probability that the small model needs a hint
 * @param hintTokens      exp(r̂) − 1: the predicted minimal hint size in tokens, ≥ 0
 * @param queryTruncated  whether the encoder saw only a prefix of an over-long query
 */
public record HintPrediction(double needProbability, double hintTokens, boolean queryTruncated) {

    /** Validates the probability and the size. */
    public HintPrediction {
        if (!(needProbability >= 0 && needProbability <= 1)) {
            throw new IllegalArgumentException("needProbability must be in [0, 1] but was " + needProbability);
        }
        if (!(hintTokens >= 0) || Double.isInfinite(hintTokens)) {
            throw new IllegalArgumentException("hintTokens must be finite and >= 0 but was " + hintTokens);
        }
    }

    /** A prediction for a query the encoder saw whole. */
    public static HintPrediction of(double needProbability, double hintTokens) {
        return new HintPrediction(needProbability, hintTokens, false);
    }
}
