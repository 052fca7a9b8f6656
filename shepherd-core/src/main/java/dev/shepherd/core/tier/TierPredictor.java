package dev.shepherd.core.tier;

import dev.shepherd.core.Query;

/**
 * An N-way router's model: for one query, each tier's probability of answering it well, cheapest
 * tier first. A trained implementation (one head per tier, e.g. in {@code shepherd-onnx}) or a
 * heuristic implements it; {@link #constant(double...)} serves tests. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface TierPredictor {

    /**
     * Each tier's success probability for {@code query}, in [0, 1], one per tier of the ladder it is
     * used with, cheapest first.
     */
    double[] successProbabilities(Query query);

    /** The same probabilities for every query (tests, baselines). */
    static TierPredictor constant(double... probabilities) {
        double[] copy = probabilities.clone();
        for (double p : copy) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must be in [0, 1] but contained " + p);
            }
        }
        return q -> copy.clone();
    }
}
