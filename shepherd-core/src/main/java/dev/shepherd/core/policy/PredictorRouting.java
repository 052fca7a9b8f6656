package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.PredictorMismatchException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Routing (RouteLLM-style, docs/method.md#other-schemes): a predictor scores the query alone; when
 * P(hint needed) ≥ threshold the large model answers in full ({@code LARGE_FULL}), otherwise the
 * small model answers alone ({@code SMALL_ONLY}). The predicted hint size is ignored: routing buys
 * whole answers or nothing. Calibrate the threshold to a target share of large-model calls with
 * {@link #calibrateThreshold(double[], double)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PredictorRouting implements ShepherdingPolicy {

    private final HintPredictor predictor;
    private final double threshold;

    private PredictorRouting(Builder b) {
        this.predictor = b.predictor;
        this.threshold = b.threshold;
    }

    /** A builder; the predictor and the threshold are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * RouteLLM's calibration: the threshold at which a share {@code targetLargeShare} of the
     * reference scores route to the large model, i.e. the (1 − share) quantile of the scores,
     * linearly interpolated as numpy's {@code np.quantile} does.
     *
     * @param scores         the predictor's need probabilities on a reference set, at least one, finite
     * @param targetLargeShare the desired share of large-model calls, in [0, 1]
     * @throws IllegalArgumentException on empty or non-finite scores, or a share outside [0, 1]
     */
    public static double calibrateThreshold(double[] scores, double targetLargeShare) {
        Objects.requireNonNull(scores, "scores");
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores must hold at least one value");
        }
        Arguments.share("targetLargeShare", targetLargeShare);
        double[] sorted = scores.clone();
        for (double s : sorted) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("scores must be finite but contained " + s);
            }
        }
        Arrays.sort(sorted);
        double position = (1 - targetLargeShare) * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public String name() {
        return "predictor-routing";
    }

    /** The routing threshold. */
    public double threshold() {
        return threshold;
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        HintPrediction p = predictor.predict(query, Features.none());
        Decision decision = p.needProbability() >= threshold ? Decision.largeFull() : Decision.smallOnly();
        PolicyOutcome out = context.execute(query, decision);
        out = ProactiveShepherding.withNote(out, String.format(Locale.ROOT, "p %.3f", p.needProbability()));
        return p.queryTruncated() ? ProactiveShepherding.withNote(out, "query-truncated-for-predictor") : out;
    }

    @Override
    public String toString() {
        return "PredictorRouting[threshold=" + threshold + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private HintPredictor predictor;
        private double threshold = Double.NaN;

        private Builder() {
        }

        /** The predictor; it sees the query alone. Required. */
        public Builder predictor(HintPredictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /**
         * Route to the large model iff the need probability is at least this, in [0, 1]; 0 sends
         * everything to the large model. Required; see {@link PredictorRouting#calibrateThreshold}.
         */
        public Builder threshold(double threshold) {
            this.threshold = Arguments.share("threshold", threshold);
            return this;
        }

        /**
         * @throws IllegalStateException when the predictor or the threshold is missing
         * @throws PredictorMismatchException when the predictor needs features beyond the query
         */
        public PredictorRouting build() {
            Arguments.required(predictor != null, "predictor");
            Arguments.required(!Double.isNaN(threshold), "threshold");
            PredictorMismatchException.check("routing", predictor, Set.of());
            return new PredictorRouting(this);
        }
    }
}
