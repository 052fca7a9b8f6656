package dev.shepherd.onnx;


/**
 * Raw outputs of the two heads for one query. Immutable.
 *
 * @param needLogit   ŷ, the need-hint logit (P = σ(ŷ))
 * @param logHintSize r̂ = predicted log(1 + n*)
 */
public record HeadOutput(double needLogit, double logHintSize) {

    /** Longest log size turned into tokens; keeps exp(r̂) − 1 finite. */
    static final double MAX_LOG_SIZE = 20;

    /** σ(ŷ). */
    public double needProbability() {
        return 1 / (1 + Math.exp(-needLogit));
    }

    /** exp(r̂) − 1 clipped to [0, e^20]. */
    public double hintTokens() {
        return Math.max(0, Math.expm1(Math.min(logHintSize, MAX_LOG_SIZE)));
    }
}
