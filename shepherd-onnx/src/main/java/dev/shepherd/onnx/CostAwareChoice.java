package dev.shepherd.onnx;

import java.util.Objects;

/**
 * The decision rule of the N-way router ({@link OnnxRouter}): given each model's calibrated probability of answering
 * a query well and its estimated cost, pick the model that maximises expected quality minus λ times cost,
 * {@code p_j − λ · ĉ_j / scale}. λ = 0 picks the most likely model whatever it costs; a large λ the cheapest.
 *
 * <p>Why this rule rather than "the cheapest model whose probability clears its threshold": it uses every model's
 * probability (a dearer model wins only when its gain is worth its price, a cheaper one that is as likely right
 * always wins), it needs no fallback when no model clears a threshold, and its one knob λ, in units of accuracy per
 * {@code scale} dollars, sweeps the whole cost–quality curve for any number of models; it needs calibrated
 * probabilities, which the router has (Platt scaling per model).
 *
 * <p>Stateless and thread-safe.
 */
public final class CostAwareChoice {

    /** The λ values a curve sweeps and calibration chooses among: 0 and 10^(k/10) for k = −40 … 40. */
    private static final double[] LAMBDAS = grid();

    private CostAwareChoice() {
    }

    private static double[] grid() {
        double[] l = new double[82];
        for (int k = -40; k <= 40; k++) {
            l[k + 41] = Math.pow(10, k / 10.0);
        }
        return l;
    }

    /** Returns the λ grid curves sweep and calibration chooses from: 0, then 10^(k/10) for k = −40 … 40. */
    public static double[] lambdas() {
        return LAMBDAS.clone();
    }

    /**
     * Returns the index of the chosen model.
     *
     * @param probability each model's probability of answering well, in [0, 1]
     * @param cost each model's estimated cost of the query (same order), ≥ 0
     * @param scale the cost that counts as one unit (e.g. the most expensive model's mean cost), &gt; 0
     * @param lambda λ ≥ 0
     * @return the index maximising {@code p − λ · cost / scale}; ties go to the cheaper model, then the lower index
     */
    public static int choose(double[] probability, double[] cost, double scale, double lambda) {
        Objects.requireNonNull(probability, "probability");
        Objects.requireNonNull(cost, "cost");
        if (probability.length == 0 || probability.length != cost.length) {
            throw new IllegalArgumentException("probability and cost must be non-empty and of the same length but had "
                    + probability.length + " and " + cost.length + " values");
        }
        if (!(scale > 0) || !(lambda >= 0)) {
            throw new IllegalArgumentException("scale must be > 0 and lambda >= 0 but were " + scale + " and " + lambda);
        }
        int best = 0;
        double bestU = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < probability.length; j++) {
            double u = probability[j] - lambda * cost[j] / scale;
            if (u > bestU + 1e-12 || (Math.abs(u - bestU) <= 1e-12 && cost[j] < cost[best])) {
                best = j;
                bestU = Math.max(u, bestU);
            }
        }
        return best;
    }
}
