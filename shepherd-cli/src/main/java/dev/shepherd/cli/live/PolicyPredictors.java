package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.SampleFeatures.EntropySource;

import java.util.Objects;

/**
 * Where the predictor policies ({@link Policies#WITH_PREDICTOR}) get their predictor: a bundle serves routing and
 * proactive shepherding from its query-only heads and reactive shepherding from its reactive heads, each with the
 * rule calibrated for it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface PolicyPredictors {

    /**
     * What one policy uses.
     *
     * @param predictor the heads it reads
     * @param rule      its decision rule (routing compares P(need) with its α)
     * @param agreement k for reactive shepherding when calibrated (wins over the default knob), or {@code null}
     * @param entropy   how reactive shepherding must compute {@code mean_entropy} for these heads (the definition
     *                  they were trained on), or {@code null} for automatic
     */
    record Selection(HintPredictor predictor, HintDecisionRule rule, Integer agreement, EntropySource entropy) {
        public Selection {
            Objects.requireNonNull(predictor, "predictor");
            Objects.requireNonNull(rule, "rule");
        }
    }

    /**
     * The selection for a predictor policy.
     *
     * @param policy one of {@link Policies#WITH_PREDICTOR}
     * @throws InputException saying why, when the predictor cannot serve that policy
     */
    Selection select(String policy);

    /** One predictor and rule for every predictor policy (tests, and predictors that are not bundles). */
    static PolicyPredictors of(HintPredictor predictor, HintDecisionRule rule) {
        Selection s = new Selection(predictor, rule, null, null);
        return policy -> s;
    }
}
