package dev.shepherd.core.hint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import org.junit.jupiter.api.Test;

class HintDecisionRuleTest {

    private final HintDecisionRule rule = new HintDecisionRule(0.3, 50, 200);

    @Test
    void should_answer_alone_below_alpha_whatever_the_size() {
        assertThat(rule.decide(HintPrediction.of(0.29, 10))).isEqualTo(Decision.smallOnly());
    }

    @Test
    void should_buy_a_rounded_hint_up_to_eta_inclusive() {
        assertThat(rule.decide(HintPrediction.of(0.3, 12.4))).isEqualTo(Decision.hint(12));
        assertThat(rule.decide(HintPrediction.of(0.9, 12.5))).isEqualTo(Decision.hint(13));
        assertThat(rule.decide(HintPrediction.of(0.9, 50))).isEqualTo(Decision.hint(50));
    }

    @Test
    void should_send_predictions_above_eta_to_the_large_model() {
        assertThat(rule.decide(HintPrediction.of(0.9, 50.6))).isEqualTo(Decision.largeFull());
    }

    @Test
    void should_clip_absurd_budgets_to_n_max() {
        assertThat(rule.hintBudget(HintPrediction.of(1.0, 1e12))).isEqualTo(200);
        assertThat(rule.decide(HintPrediction.of(1.0, 1e12))).isEqualTo(Decision.largeFull());
        assertThat(new HintDecisionRule(0.3, 200, 200).decide(HintPrediction.of(1, 1e9))).isEqualTo(Decision.hint(200));
    }

    @Test
    void should_answer_alone_when_the_rounded_size_is_zero() {
        assertThat(rule.decide(HintPrediction.of(0.9, 0.4))).isEqualTo(Decision.smallOnly());
    }

    @Test
    void should_reject_invalid_settings_naming_them() {
        assertThatThrownBy(() -> new HintDecisionRule(1.1, 1, 1)).hasMessage("alpha must be in [0, 1] but was 1.1");
        assertThatThrownBy(() -> new HintDecisionRule(Double.NaN, 1, 1)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new HintDecisionRule(0.5, 0, 1)).hasMessageContaining("etaHint");
        assertThatThrownBy(() -> new HintDecisionRule(0.5, 10, 9)).hasMessageContaining("maxHint");
    }

    @Test
    void should_reject_negative_or_non_finite_predictions() {
        assertThatThrownBy(() -> HintPrediction.of(0.5, -1)).hasMessageContaining("hintTokens");
        assertThatThrownBy(() -> HintPrediction.of(0.5, Double.POSITIVE_INFINITY)).hasMessageContaining("hintTokens");
        assertThatThrownBy(() -> HintPrediction.of(1.5, 1)).hasMessageContaining("needProbability");
        assertThatThrownBy(() -> HintPrediction.of(Double.NaN, 1)).hasMessageContaining("NaN");
    }

    @Test
    void should_carry_the_papers_gsm8k_setting() {
        assertThat(HintDecisionRule.paperGsm8k()).isEqualTo(new HintDecisionRule(0.228, 58, 512));
    }
}
