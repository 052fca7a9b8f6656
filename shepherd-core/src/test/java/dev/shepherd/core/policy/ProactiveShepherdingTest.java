package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class ProactiveShepherdingTest extends ShepherdingPolicyContract {

    private static final HintDecisionRule RULE = new HintDecisionRule(0.5, 20, 100);
    private static final String LARGE_ANSWER = "a b c d e f g h i j k l m n o p q r s t u v w x y z #### 9";

    @Override
    protected ShepherdingPolicy policy() {
        return ProactiveShepherding.builder().predictor(HintPredictor.constant(0.9, 10)).rule(RULE).build();
    }

    @Test
    void should_buy_a_hint_of_the_predicted_size_and_let_the_small_model_finish() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "so #### 9");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);
        ShepherdingPolicy policy = ProactiveShepherding.builder().predictor(HintPredictor.constant(0.9, 10)).rule(RULE)
                .build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, large).answer(Query.of("q1", "What?", "9"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.hint(10));
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(10);
        assertThat(r.hint().text()).isEqualTo("a b c d e f g h i j");
        PromptMessage prompt = small.lastRequest().messages().get(0);
        assertThat(prompt.text()).isEqualTo("Question: What?\nHint: a b c d e f g h i j");
        assertThat(r.text()).isEqualTo("so #### 9");
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.HINT, CallPurpose.ANSWER);
    }

    @Test
    void should_answer_with_the_small_model_alone_when_the_need_probability_is_below_alpha() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);
        ShepherdingPolicy policy = ProactiveShepherding.builder().predictor(HintPredictor.constant(0.49, 10)).rule(RULE)
                .build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(large.calls()).isZero();
    }

    @Test
    void should_send_a_hint_longer_than_eta_straight_to_the_large_model_without_a_hint_call() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);
        ShepherdingPolicy policy = ProactiveShepherding.builder().predictor(HintPredictor.constant(0.9, 21)).rule(RULE)
                .build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.ANSWER);
        assertThat(large.calls()).isEqualTo(1);
        assertThat(small.calls()).isZero();
        assertThat(r.text()).isEqualTo(LARGE_ANSWER);
    }

    @Test
    void should_predict_from_the_query_alone_before_any_model_call() {
        // given
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.9, 5, java.util.Set.of());
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");

        // when
        PolicyTestSupport.shepherd(ProactiveShepherding.builder().predictor(predictor).rule(RULE).build(), small,
                ScriptedGenerator.replying("l", LARGE_ANSWER)).answer(Query.of("q"));

        // then
        assertThat(predictor.seen).containsExactly(Features.none());
    }

    @Test
    void should_reject_a_missing_predictor_or_rule() {
        assertThatThrownBy(() -> ProactiveShepherding.builder().predictor(null).rule(RULE)
                .build()).hasMessageContaining("predictor");
        assertThatThrownBy(() -> ProactiveShepherding.builder().predictor(HintPredictor.constant(0, 0)).rule(null)
                .build())
                .hasMessageContaining("rule");
    }
}
