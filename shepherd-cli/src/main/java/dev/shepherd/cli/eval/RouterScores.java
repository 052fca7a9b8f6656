package dev.shepherd.cli.eval;

import java.util.List;
import java.util.Objects;

/**
 * An N-way router's output over a trace: per query, each model's predicted probability of answering well, and what
 * the router expects each model to cost. Replay picks, per query, the model maximising
 * {@code p − λ · ĉ / mean(ĉ_top)} (expected quality minus λ times the estimated cost in units of the most expensive
 * model's mean estimated cost), where {@code ĉ = prices · (the query's recorded input tokens, the model's mean output
 * tokens in training)}: what is known before any model is called.
 *
 * @param router the router's name or bundle path, for the report
 * @param models the models the router scores, in the order of the probability columns
 * @param probabilities {@code [query][model]}, one row per trace record in trace order, each in [0, 1]
 * @param meanOutputTokens per model (same order), its mean answer length in the router's training data
 * @param lambda the calibrated operating λ ≥ 0
 * @param note how the router was trained and calibrated, for the report (may be empty)
 */
public record RouterScores(String router, List<String> models, double[][] probabilities, double[] meanOutputTokens,
                           double lambda, String note) {

    /** Validates and copies. */
    public RouterScores {
        Objects.requireNonNull(router, "router");
        models = List.copyOf(models);
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(meanOutputTokens, "meanOutputTokens");
        if (meanOutputTokens.length != models.size()) {
            throw new IllegalArgumentException("meanOutputTokens has " + meanOutputTokens.length + " values for "
                    + models.size() + " models");
        }
        double[][] copy = new double[probabilities.length][];
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i].length != models.size()) {
                throw new IllegalArgumentException("probabilities row " + i + " has " + probabilities[i].length
                        + " values for " + models.size() + " models");
            }
            for (double p : probabilities[i]) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("probabilities must be in [0, 1] but contained " + p);
                }
            }
            copy[i] = probabilities[i].clone();
        }
        probabilities = copy;
        meanOutputTokens = meanOutputTokens.clone();
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0 but was " + lambda);
        }
        note = note == null ? "" : note;
    }

    @Override
    public double[][] probabilities() {
        double[][] copy = new double[probabilities.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = probabilities[i].clone();
        }
        return copy;
    }

    @Override
    public double[] meanOutputTokens() {
        return meanOutputTokens.clone();
    }
}
