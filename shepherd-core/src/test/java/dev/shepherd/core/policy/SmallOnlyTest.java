package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class SmallOnlyTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return SmallOnly.create();
    }

    @Override
    protected boolean callsLargeModel() {
        return false;
    }

    @Test
    void should_answer_with_the_small_model_alone() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 7");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 8");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(SmallOnly.create(), small, large).answer(Query.of("3 + 4?"));

        // then
        assertThat(r.text()).isEqualTo("#### 7");
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.costUsd()).isZero();
        assertThat(large.calls()).isZero();
    }
}
