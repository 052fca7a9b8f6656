package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class LargeOnlyTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return LargeOnly.create();
    }

    @Override
    protected boolean callsSmallModel() {
        return false;
    }

    @Test
    void should_buy_the_large_models_full_answer_without_an_output_cap_below_the_executors() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 7");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "one two three #### 8");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(LargeOnly.create(), small, large).answer(Query.of("3 + 5?"));

        // then
        assertThat(r.text()).isEqualTo("one two three #### 8");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(4096);
        assertThat(small.calls()).isZero();
        assertThat(r.costUsd()).isEqualTo(PolicyTestSupport.COSTS.cost(
                dev.shepherd.core.model.ModelRole.LARGE, 3, 5));
    }
}
