package dev.shepherd.core.policy;

import static dev.shepherd.core.policy.TierTestSupport.ladder;
import static dev.shepherd.core.policy.TierTestSupport.shepherd;
import static dev.shepherd.core.policy.TierTestSupport.tiersCalled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import dev.shepherd.core.tier.TierPredictor;
import dev.shepherd.core.tier.Tiers;
import org.junit.jupiter.api.Test;

class TierRoutingTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return TierRouting.builder().predictor(TierPredictor.constant(0.2, 0.9)).threshold(0.5).build();
    }

    @Override
    protected boolean callsSmallModel() {
        return false;
    }

    private final ScriptedGenerator local = ScriptedGenerator.replying("l", "local #### 1");
    private final ScriptedGenerator mid = ScriptedGenerator.replying("m", "mid #### 2");
    private final ScriptedGenerator top = ScriptedGenerator.replying("t", "top #### 3");

    private ShepherdResult route(TierRouting policy) {
        return shepherd(policy, ladder(local, mid, top), FailureMode.STRICT, CostLedger.create())
                .answer(Query.of("What is 2 + 2?"));
    }

    @Test
    void should_route_to_the_cheapest_tier_whose_probability_clears_its_threshold() {
        // when
        ShepherdResult r = route(TierRouting.builder().predictor(TierPredictor.constant(0.3, 0.75, 0.95))
                .thresholds(0.6, 0.7).build());

        // then
        assertThat(r.text()).isEqualTo("mid #### 2");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(tiersCalled(r)).containsExactly("mid");
        assertThat(r.notes()).containsExactly("p [0.300, 0.750, 0.950]", "routed to mid");
    }

    @Test
    void should_route_to_the_bottom_as_small_only_and_to_the_top_when_nothing_clears() {
        assertThat(route(TierRouting.builder().predictor(TierPredictor.constant(0.9, 0.9, 0.9)).threshold(0.5)
                .build()).decision()).isEqualTo(Decision.smallOnly());
        assertThat(tiersCalled(route(TierRouting.builder().predictor(TierPredictor.constant(0.1, 0.2, 0.3))
                .threshold(0.5).build()))).containsExactly("top");
    }

    @Test
    void should_maximise_probability_minus_lambda_times_cost_in_utility_mode() {
        // given: the top is surest but costs ~$0.0026 per answer; the middle ~$0.00005
        TierPredictor p = TierPredictor.constant(0.2, 0.8, 0.9);

        // then: a small λ buys the top's extra 0.1; a large one does not
        assertThat(tiersCalled(route(TierRouting.builder().predictor(p).lambda(1).build()))).containsExactly("top");
        assertThat(tiersCalled(route(TierRouting.builder().predictor(p).lambda(100).build())))
                .containsExactly("mid");
    }

    @Test
    void should_fail_clearly_when_the_predictor_gives_the_wrong_number_of_probabilities() {
        Tiers tiers = ladder(local, mid, top);
        TierRouting routing = TierRouting.builder().predictor(TierPredictor.constant(0.5, 0.5)).threshold(0.5).build();
        assertThatThrownBy(() -> routing.choose(Query.of("q"), tiers, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one probability per tier (3)");
    }

    @Test
    void should_require_exactly_one_rule() {
        assertThatThrownBy(() -> TierRouting.builder().predictor(TierPredictor.constant(0.5, 0.5)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TierRouting.builder().predictor(TierPredictor.constant(0.5, 0.5)).threshold(0.5)
                .lambda(1).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TierRouting.builder().threshold(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }
}
