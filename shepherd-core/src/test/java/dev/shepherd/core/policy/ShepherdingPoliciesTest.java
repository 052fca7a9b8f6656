package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShepherdingPoliciesTest {

    @Test
    void should_build_every_strategy_with_a_distinct_stable_name() {
        // given
        HintPredictor predictor = HintPredictor.constant(0.5, 10);

        // when
        List<ShepherdingPolicy> all = List.of(
                ShepherdingPolicies.smallOnly(), ShepherdingPolicies.largeOnly(),
                ShepherdingPolicies.predictorRouting(predictor, 0.5),
                ShepherdingPolicies.agreementCascade(3, 2),
                ShepherdingPolicies.confidenceCascade(0.7),
                ShepherdingPolicies.proactive(predictor, HintDecisionRule.paperGsm8k()),
                ShepherdingPolicies.reactive(predictor, HintDecisionRule.paperGsm8k()),
                ShepherdingPolicies.oracleShepherding(Map.of("a", 0)),
                ShepherdingPolicies.oracleRouting(Map.of("a", 4)),
                ShepherdingPolicies.smallInitiatedHelp());

        // then
        assertThat(all).extracting(ShepherdingPolicy::name).containsExactly("slm-only", "llm-only",
                "predictor-routing", "agreement-cascade", "confidence-cascade", "proactive-shepherding",
                "reactive-shepherding", "oracle-shepherding", "oracle-routing", "slm-initiated-help");
        assertThat(ShepherdingPolicies.reactive(predictor, HintDecisionRule.paperGsm8k()).samples()).isEqualTo(3);
        assertThat(ShepherdingPolicies.reactive(predictor, HintDecisionRule.paperGsm8k()).agreement()).isEqualTo(2);
    }
}
