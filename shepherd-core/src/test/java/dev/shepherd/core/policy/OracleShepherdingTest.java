package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OracleShepherdingTest extends ShepherdingPolicyContract {

    private static final String LARGE_ANSWER = "a b c d e f g h #### 9";

    @Override
    protected ShepherdingPolicy policy() {
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            labels.put("q-" + i, 6);
        }
        return OracleShepherding.builder().minimumHintTokens(labels).build();
    }

    @Test
    void should_answer_with_the_small_model_alone_when_n_star_is_zero() {
        // given
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(OracleShepherding.builder().minimumHintTokens(Map.of("a", 0))
                .build(),
                ScriptedGenerator.replying("s", "#### 1"), large).answer(Query.of("a", "q", "1"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(large.calls()).isZero();
    }

    @Test
    void should_buy_exactly_n_star_hint_tokens() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "then #### 9");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(OracleShepherding.builder().minimumHintTokens(Map.of("a", 3))
                .build(), small, large)
                .answer(Query.of("a", "q", "9"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.hint(3));
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(3);
        assertThat(r.hint().text()).isEqualTo("a b c");
        assertThat(r.text()).isEqualTo("then #### 9");
    }

    @Test
    void should_return_the_large_answer_when_n_star_covers_all_of_it() {
        // given: n* = |h_l| (no hint level passed), the capped call ends naturally
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(OracleShepherding.builder().minimumHintTokens(Map.of("a", 10))
                .build(), small, large)
                .answer(Query.of("a", "q", "9"));

        // then
        assertThat(r.text()).isEqualTo(LARGE_ANSWER);
        assertThat(r.notes()).contains("hint-was-complete");
        assertThat(small.calls()).isZero();
    }

    @Test
    void should_buy_the_full_answer_when_no_hint_passes_even_if_the_server_reports_length_at_the_cap() {
        // given: a server that says LENGTH when the output reaches max_tokens exactly, as OpenAI-compatible ones do
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.completing("l", request -> new Completion(LARGE_ANSWER, 5, 10,
                request.maxOutputTokens() == null ? FinishReason.STOP : FinishReason.LENGTH, List.of()));

        // when: n* = |h_l| = 10 and the label says no hint level passed
        ShepherdResult r = PolicyTestSupport.shepherd(OracleShepherding.builder().minimumHintTokens(Map.of("a", 10))
                .noHintPasses(Set.of("a")).build(), small, large)
                .answer(Query.of("a", "q", "9"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.text()).isEqualTo(LARGE_ANSWER);
        assertThat(large.lastRequest().maxOutputTokens()).isNotEqualTo(10); // the full-answer cap, not a hint
        assertThat(small.calls()).isZero();
    }

    @Test
    void should_not_report_a_blank_hint_as_given() {
        // given: the large model's first tokens are blank
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 9");
        ScriptedGenerator large = ScriptedGenerator.completing("l", request -> new Completion("  ", 5, 3,
                FinishReason.LENGTH, List.of()));

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(OracleShepherding.builder().minimumHintTokens(Map.of("a", 3))
                .build(), small, large)
                .answer(Query.of("a", "q", "9"));

        // then: paid for (one large call on the record), but the small model answered alone and the result says so
        assertThat(large.calls()).isEqualTo(1);
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.hint()).isNull();
        assertThat(r.notes()).contains("hint-was-blank");
        assertThat(small.lastRequest().messages().toString()).doesNotContain("Hint:");
        assertThat(r.costUsd()).isPositive();
    }

    @Test
    void should_fail_naming_the_query_without_a_label_and_record_it() {
        // given
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = PolicyTestSupport.shepherd(OracleShepherding.builder().minimumHintTokens(Map.of("a", 0))
                .build(),
                ScriptedGenerator.replying("s", "#### 1"), ScriptedGenerator.replying("l", "#### 1"))
                .toBuilder().ledger(ledger).build();

        // when / then
        assertThatThrownBy(() -> shepherd.answer(Query.of("missing-7", "q", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'missing-7'");
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isFalse());
    }

    @Test
    void should_reject_negative_or_null_labels_naming_the_query() {
        Map<String, Integer> withNull = new HashMap<>();
        withNull.put("b", null);
        assertThatThrownBy(() -> OracleShepherding.builder().minimumHintTokens(Map.of("a", -1)).build())
                .hasMessage("n* of query 'a' must be >= 0 but was -1");
        assertThatThrownBy(() -> OracleShepherding.builder().minimumHintTokens(withNull)
                .build()).hasMessageContaining("'b'");
    }
}
