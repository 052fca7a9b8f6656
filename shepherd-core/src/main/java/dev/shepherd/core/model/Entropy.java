package dev.shepherd.core.model;

/** Token-entropy helpers for backends that return top-k log-probabilities. */
public final class Entropy {

    private Entropy() {
    }

    /**
     * Entropy in nats of one token position from its top-k log-probabilities. The top-k mass is
     * renormalised to 1, so with k = 1 the entropy is 0; this under-estimates the full-vocabulary
     * entropy but ranks positions the same way, which is all the predictor's feature needs.
     *
     * @param logprobs natural-log probabilities of the top candidates, at least one, all ≤ 0
     */
    public static double ofTopLogprobs(double[] logprobs) {
        if (logprobs == null || logprobs.length == 0) {
            throw new IllegalArgumentException("logprobs must hold at least one value");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double lp : logprobs) {
            if (Double.isNaN(lp) || lp > 1e-9) {
                throw new IllegalArgumentException("logprobs must be <= 0 and not NaN but contained " + lp);
            }
            max = Math.max(max, lp);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return 0.0;
        }
        double z = 0;
        for (double lp : logprobs) {
            z += Math.exp(lp - max);
        }
        double h = 0;
        for (double lp : logprobs) {
            double p = Math.exp(lp - max) / z;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return Math.max(0.0, h);
    }
}
