package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostAwareChoiceTest {

    private static final double[] COST = {0, 2, 5};

    @Test
    void should_pick_the_model_maximising_expected_quality_minus_lambda_times_cost() {
        // p − λ·c/5 with λ = 0.5: .9, .7, .4 -> the cheap model
        assertThat(CostAwareChoice.choose(new double[] {0.9, 0.9, 0.9}, COST, 5, 0.5)).isZero();
        // .1, .7, .4 -> the middle model
        assertThat(CostAwareChoice.choose(new double[] {0.1, 0.9, 0.9}, COST, 5, 0.5)).isEqualTo(1);
        // .1, −.1, .4 -> the top model
        assertThat(CostAwareChoice.choose(new double[] {0.1, 0.1, 0.9}, COST, 5, 0.5)).isEqualTo(2);
    }

    @Test
    void should_pick_the_most_likely_model_at_lambda_zero_and_the_cheapest_at_a_large_lambda() {
        assertThat(CostAwareChoice.choose(new double[] {0.2, 0.8, 0.7}, COST, 5, 0)).isEqualTo(1);
        // ties at lambda 0 go to the cheaper model
        assertThat(CostAwareChoice.choose(new double[] {0.9, 0.9, 0.9}, COST, 5, 0)).isZero();
        assertThat(CostAwareChoice.choose(new double[] {0.0, 0.5, 1.0}, COST, 5, 1e4)).isZero();
    }

    @Test
    void should_sweep_lambda_from_zero_to_ten_thousand() {
        double[] l = CostAwareChoice.lambdas();
        assertThat(l).hasSize(82);
        assertThat(l[0]).isZero();
        assertThat(l[1]).isEqualTo(1e-4);
        assertThat(l[81]).isEqualTo(1e4);
    }

    @Test
    void should_reject_mismatched_inputs() {
        assertThatThrownBy(() -> CostAwareChoice.choose(new double[] {1}, COST, 5, 0)).hasMessageContaining("same length");
        assertThatThrownBy(() -> CostAwareChoice.choose(new double[] {1, 1, 1}, COST, 0, 0)).hasMessageContaining("scale");
    }
}
