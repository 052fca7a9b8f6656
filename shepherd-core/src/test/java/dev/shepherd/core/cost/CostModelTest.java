package dev.shepherd.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.model.ModelRole;
import org.junit.jupiter.api.Test;

class CostModelTest {

    @Test
    void should_compute_the_papers_shepherding_cost_by_hand() {
        // given: c_in_l = 0.59, c_out_l = 0.79, c_in_s = 0.05, c_out_s = 0.10 ($ per million)
        CostModel model = CostModel.perToken(TokenPrices.perMillion(0.05, 0.10), TokenPrices.perMillion(0.59, 0.79));

        // when: |q| = 120, n = 30, |h_s| = 200
        double cost = model.shepherdingCost(120, 30, 200);

        // then: 120·0.59 + 30·0.79 + (120+30)·0.05 + 200·0.10 = 70.8 + 23.7 + 7.5 + 20 = 122.0 per million
        assertThat(cost).isCloseTo(122.0e-6, within(1e-15));
    }

    @Test
    void should_reduce_to_the_large_models_share_with_a_free_small_model() {
        // given
        CostModel model = CostModel.localSmall(TokenPrices.paperLlama70b());

        // then: |q|·c_in_l + n·c_out_l, the oracle shepherding cost of docs/method.md#cost-model
        assertThat(model.shepherdingCost(100, 0, 500)).isCloseTo(59e-6, within(1e-15));
        assertThat(model.shepherdingCost(100, 50, 500)).isCloseTo(59e-6 + 50 * 0.79e-6, within(1e-15));
        assertThat(model.cost(ModelRole.SMALL, 1000, 1000)).isZero();
        assertThat(model.prices(ModelRole.LARGE)).isEqualTo(TokenPrices.paperLlama70b());
    }

    @Test
    void should_price_each_side_with_its_own_prices() {
        CostModel model = CostModel.perToken(TokenPrices.perMillion(1, 2), TokenPrices.perMillion(3, 4));
        assertThat(model.cost(ModelRole.SMALL, 1_000_000, 1_000_000)).isCloseTo(3.0, within(1e-12));
        assertThat(model.cost(ModelRole.LARGE, 1_000_000, 1_000_000)).isCloseTo(7.0, within(1e-12));
        assertThatThrownBy(() -> CostModel.perToken(null, TokenPrices.free())).hasMessageContaining("small");
    }
}
