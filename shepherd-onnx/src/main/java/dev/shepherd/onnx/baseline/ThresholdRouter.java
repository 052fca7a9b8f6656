package dev.shepherd.onnx.baseline;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.PredictorMismatchException;
import dev.shepherd.core.policy.PredictorRouting;
import java.util.List;
import java.util.Objects;

/**
 * A RouteLLM-style router: a scorer whose probability is P(the query needs the large model) (a need-help head
 * trained with λ = 1, a {@link KnnRouter}, or a {@link FrugalGptScorer}) and a threshold; the query goes to the
 * large model iff score ≥ threshold. RouteLLM's calibration ({@link #calibrated}) sets the threshold to the
 * (1 − share) quantile of the scores on a reference set, so that share of queries is routed to the large model.
 *
 * <p>What this adds to core's {@link PredictorRouting}, the policy that routes this way ({@link #policy()}), is the
 * calibration from reference queries and routing with caller-supplied features (a FrugalGPT scorer reads the small
 * model's answer); the quantile itself is core's {@link PredictorRouting#calibrateThreshold(double[], double)}.
 * Immutable; thread-safe when the scorer is.
 *
 * @param scorer    the scorer
 * @param threshold scores at or above it go to the large model, in [0, 1]
 */
public record ThresholdRouter(HintPredictor scorer, double threshold) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when the threshold is NaN or outside [0, 1]
     */
    public ThresholdRouter {
        Objects.requireNonNull(scorer, "scorer");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1] but was " + threshold);
        }
    }

    /**
     * A router calibrated so that {@code largeShare} of the reference queries go to the large model: core's
     * {@link PredictorRouting#calibrateThreshold(double[], double)} of the scorer's probabilities on them.
     *
     * @param features the reference queries' features, one per query ({@link Features#none()} for query-only scorers)
     * @throws IllegalArgumentException for no reference query or a share outside [0, 1]
     */
    public static ThresholdRouter calibrated(HintPredictor scorer, List<Query> reference, List<Features> features,
                                             double largeShare) {
        double[] scores = scorer.predictAll(reference, features).stream()
                .mapToDouble(HintPrediction::needProbability).toArray();
        return new ThresholdRouter(scorer, PredictorRouting.calibrateThreshold(scores, largeShare));
    }

    /** Whether this router sends the query to the large model. */
    public boolean routesToLarge(Query query, Features features) {
        return scorer.predict(query, features).needProbability() >= threshold;
    }

    /**
     * Core's routing policy with this scorer and threshold.
     *
     * @throws PredictorMismatchException when the scorer needs features beyond the query (routing decides before
     *                                    the small model runs)
     */
    public PredictorRouting policy() {
        return PredictorRouting.builder().predictor(scorer).threshold(threshold).build();
    }
}
