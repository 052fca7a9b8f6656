package dev.shepherd.onnx.baseline;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.PredictorRouting;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A RouteLLM-style router: a scorer whose probability is P(the query needs the large model) (a
 * need-help head trained with λ = 1, a {@link KnnRouter}, or a {@link FrugalGptScorer}) and a
 * threshold; the query goes to the large model iff score ≥ threshold. RouteLLM's calibration
 * ({@link #thresholdForLargeShare}) sets the threshold to the (1 − share) quantile of the scores on a
 * reference set, so that share of queries is routed to the large model.
 *
 * <p>As a {@link HintPredictor} it passes the scorer's probability through, so core's routing policy
 * can apply its own threshold; its hint size is the scorer's (0 for pure routers). Immutable and
 * thread-safe when the scorer is.
 */
public final class ThresholdRouter implements HintPredictor {

    private final HintPredictor scorer;
    private final double threshold;

    private ThresholdRouter(HintPredictor scorer, double threshold) {
        this.scorer = scorer;
        this.threshold = threshold;
    }

    /** A router with a fixed threshold in [0, 1]. */
    public static ThresholdRouter of(HintPredictor scorer, double threshold) {
        Objects.requireNonNull(scorer, "scorer");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1] but was " + threshold);
        }
        return new ThresholdRouter(scorer, threshold);
    }

    /**
     * A router calibrated so that {@code largeShare} of the reference queries go to the large model: RouteLLM's
     * quantile calibration, {@link PredictorRouting#calibrateThreshold(double[], double)} of the scorer's
     * probabilities on the reference queries.
     *
     * @throws IllegalArgumentException for no reference query or a share outside [0, 1]
     */
    public static ThresholdRouter calibrated(HintPredictor scorer, List<Query> reference, List<Features> features,
                                             double largeShare) {
        double[] scores = scorer.predictAll(reference, features).stream()
                .mapToDouble(HintPrediction::needProbability).toArray();
        return of(scorer, PredictorRouting.calibrateThreshold(scores, largeShare));
    }

    /** Scores at or above this go to the large model. */
    public double threshold() {
        return threshold;
    }

    /** Whether this router sends the query to the large model. */
    public boolean routesToLarge(Query query, Features features) {
        return scorer.predict(query, features).needProbability() >= threshold;
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        return scorer.predict(query, features);
    }

    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        return scorer.predictAll(queries, features);
    }

    @Override
    public Set<String> requiredFeatures() {
        return scorer.requiredFeatures();
    }

    @Override
    public String toString() {
        return "ThresholdRouter[" + scorer + ", threshold=" + threshold + "]";
    }
}
