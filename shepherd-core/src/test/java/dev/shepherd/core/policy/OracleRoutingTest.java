package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleRoutingTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        Map<String, Boolean> labels = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            labels.put("q-" + i, false);
        }
        return OracleRouting.builder().smallGoodEnough(labels).build();
    }

    @Override
    protected boolean callsSmallModel() {
        return false;
    }

    @Test
    void should_route_by_label() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "x y z #### 2");
        OracleRouting oracle = OracleRouting.builder().smallGoodEnough(Map.of("easy", true, "hard", false)).build();

        // when
        ShepherdResult easy = PolicyTestSupport.shepherd(oracle, small, large).answer(Query.of("easy", "q", "1"));
        ShepherdResult hard = PolicyTestSupport.shepherd(oracle, small, large).answer(Query.of("hard", "q", "2"));

        // then
        assertThat(easy.decision()).isEqualTo(Decision.smallOnly());
        assertThat(hard.decision()).isEqualTo(Decision.largeFull());
        assertThat(hard.text()).isEqualTo("x y z #### 2");
        assertThat(large.calls()).isEqualTo(1);
    }

    @Test
    void should_treat_n_star_zero_as_small_model_good_enough() {
        // given
        OracleRouting oracle = OracleRouting.builder().minimumHintTokens(Map.of("a", 0, "b", 12)).build();
        ScriptedGenerator large = ScriptedGenerator.replying("l", "x #### 2");

        // when
        ShepherdResult a = PolicyTestSupport.shepherd(oracle, ScriptedGenerator.replying("s", "#### 1"), large)
                .answer(Query.of("a", "q", "1"));
        ShepherdResult b = PolicyTestSupport.shepherd(oracle, ScriptedGenerator.replying("s", "#### 1"), large)
                .answer(Query.of("b", "q", "1"));

        // then: routing never buys a hint, it buys the whole answer
        assertThat(a.decision()).isEqualTo(Decision.smallOnly());
        assertThat(b.decision()).isEqualTo(Decision.largeFull());
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(4096);
        assertThat(oracle.size()).isEqualTo(2);
    }

    @Test
    void should_fail_naming_a_query_without_a_label() {
        OracleRouting oracle = OracleRouting.builder().smallGoodEnough(Map.of("a", true)).build();
        assertThatThrownBy(() -> PolicyTestSupport.shepherd(oracle, ScriptedGenerator.replying("s", "1"),
                ScriptedGenerator.replying("l", "2")).answer(Query.of("zz", "q", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'zz'");
    }

    @Test
    void should_reject_invalid_labels_naming_the_query() {
        Map<String, Boolean> withNull = new HashMap<>();
        withNull.put("b", null);
        assertThatThrownBy(() -> OracleRouting.builder().smallGoodEnough(withNull).build()).hasMessageContaining("'b'");
        assertThatThrownBy(() -> OracleRouting.builder().minimumHintTokens(Map.of("c", -2)).build())
                .hasMessage("n* of query 'c' must be >= 0 but was -2");
    }
}
