package dev.shepherd.core.policy;

import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import java.util.Map;

/**
 * Static factories for the built-in strategies, so that all of them read alike in one place:
 * <pre>{@code
 * List<ShepherdingPolicy> compared = List.of(
 *         ShepherdingPolicies.smallOnly(), ShepherdingPolicies.largeOnly(),
 *         ShepherdingPolicies.agreementCascade(3, 2),
 *         ShepherdingPolicies.reactive(predictor, HintDecisionRule.paperGsm8k()));
 * }</pre>
 * Every policy returned is immutable and thread-safe; see each class for its rule.
 */
public final class ShepherdingPolicies {

    private ShepherdingPolicies() {
    }

    /** {@link SmallOnly}: the small model alone. */
    public static ShepherdingPolicy smallOnly() {
        return SmallOnly.create();
    }

    /** {@link LargeOnly}: the large model's full answer. */
    public static ShepherdingPolicy largeOnly() {
        return LargeOnly.create();
    }

    /** {@link PredictorRouting}: the large model iff P(hint needed) ≥ threshold. */
    public static PredictorRouting predictorRouting(HintPredictor predictor, double threshold) {
        return PredictorRouting.of(predictor, threshold);
    }

    /** {@link AgreementCascade}: K samples, the large model unless k agree. */
    public static AgreementCascade agreementCascade(int samples, int agreement) {
        return AgreementCascade.of(samples, agreement);
    }

    /** {@link ConfidenceCascade}: the large model when the stated confidence is below the threshold. */
    public static ConfidenceCascade confidenceCascade(double threshold) {
        return ConfidenceCascade.of(threshold);
    }

    /** {@link ProactiveShepherding}: the predictor on the query alone, then SLM, hint or LLM. */
    public static ProactiveShepherding proactive(HintPredictor predictor, HintDecisionRule rule) {
        return ProactiveShepherding.of(predictor, rule);
    }

    /** {@link ReactiveShepherding} with K = 3, k = 2: samples first, the predictor when they disagree. */
    public static ReactiveShepherding reactive(HintPredictor predictor, HintDecisionRule rule) {
        return ReactiveShepherding.builder().predictor(predictor).rule(rule).build();
    }

    /** {@link OracleShepherding} over n* labels. */
    public static OracleShepherding oracleShepherding(Map<String, Integer> minimumHintTokens) {
        return OracleShepherding.of(minimumHintTokens);
    }

    /** {@link OracleRouting} over n* labels (the small model is good enough iff n* = 0). */
    public static OracleRouting oracleRouting(Map<String, Integer> minimumHintTokens) {
        return OracleRouting.fromMinimumHintTokens(minimumHintTokens);
    }

    /** {@link SmallInitiatedHelp} with its defaults. */
    public static SmallInitiatedHelp smallInitiatedHelp() {
        return SmallInitiatedHelp.create();
    }
}
