package dev.shepherd.core.policy;

import static dev.shepherd.core.policy.TierTestSupport.ladder;
import static dev.shepherd.core.policy.TierTestSupport.shepherd;
import static dev.shepherd.core.policy.TierTestSupport.tiersCalled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class TierCascadeTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return TierCascade.builder().samples(3).agreement(2).build();
    }

    @Override
    protected String smallReply(GenerationRequest request, int repeat) {
        // Never agreeing: every request climbs to the top, so the contract sees the large model used.
        return "maybe #### " + (100 * questionNumber(request) + repeat);
    }

    @Test
    void should_stop_at_the_middle_tier_when_its_samples_agree_and_record_every_call_in_one_entry() {
        // given
        ScriptedGenerator local = ScriptedGenerator.replying("llama-3b", "a #### 1", "b #### 2", "c #### 3");
        ScriptedGenerator mid = ScriptedGenerator.replying("llama-8b", "x #### 7", "y #### 7", "z #### 8");
        ScriptedGenerator top = ScriptedGenerator.replying("gpt", "full #### 7");
        CostLedger ledger = CostLedger.create();

        // when
        ShepherdResult r = shepherd(TierCascade.builder().samples(3).agreement(2).build(),
                ladder(local, mid, top), FailureMode.STRICT, ledger).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("x #### 7");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly("local disagreed 1/3", "mid agreed 2/3");
        assertThat(top.calls()).isZero();
        assertThat(tiersCalled(r)).containsExactly("local", "local", "local", "mid", "mid", "mid");
        assertThat(r.answeredBy().tier()).isEqualTo("mid");
        assertThat(r.answeredBy().model()).isEqualTo("llama-8b");
        // each mid call priced at the mid tier's rates, not the top's
        CallRecord midCall = r.calls().get(3);
        assertThat(midCall.costUsd()).isCloseTo(TierTestSupport.MID.cost(midCall.inputTokens(),
                midCall.outputTokens()), within(1e-15));
        assertThat(ledger.entries()).hasSize(1);
        LedgerEntry e = ledger.entries().get(0);
        assertThat(e.calls()).isEqualTo(r.calls());
        assertThat(e.answeredBy().tier()).isEqualTo("mid");
        assertThat(e.costByTier()).containsOnlyKeys("local", "mid");
        assertThat(e.costByTier().get("local")).isZero();
        assertThat(ledger.costByTier()).isEqualTo(e.costByTier());
        assertThat(ledger.answersByTier()).containsExactly(java.util.Map.entry("mid", 1L));
    }

    @Test
    void should_climb_to_the_top_when_no_tier_agrees() {
        // given
        ScriptedGenerator local = ScriptedGenerator.replying("l", "a #### 1", "b #### 2", "c #### 3");
        ScriptedGenerator mid = ScriptedGenerator.replying("m", "x #### 4", "y #### 5", "z #### 6");
        ScriptedGenerator top = ScriptedGenerator.replying("t", "full #### 9");

        // when
        ShepherdResult r = shepherd(TierCascade.builder().samples(3).agreement(2).build(),
                ladder(local, mid, top), FailureMode.STRICT, CostLedger.create()).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("full #### 9");
        assertThat(r.answeredBy().tier()).isEqualTo("top");
        assertThat(tiersCalled(r)).endsWith("top").hasSize(7);
    }

    @Test
    void should_check_each_tier_by_stated_confidence_when_a_threshold_is_set() {
        // given
        ScriptedGenerator local = ScriptedGenerator.replying("l", "guess #### 1\nConfidence: 0.3");
        ScriptedGenerator mid = ScriptedGenerator.replying("m", "sure #### 2\nConfidence: 0.9");
        ScriptedGenerator top = ScriptedGenerator.replying("t", "full #### 2");

        // when
        ShepherdResult r = shepherd(TierCascade.builder().confidenceThreshold(0.8).build(),
                ladder(local, mid, top), FailureMode.STRICT, CostLedger.create()).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("sure #### 2");
        assertThat(r.notes()).containsExactly("local confidence 0.30", "mid confidence 0.90");
        assertThat(top.calls()).isZero();
    }

    @Test
    void should_fall_back_to_the_bottom_tiers_best_answer_when_a_middle_tier_fails() {
        // given
        ScriptedGenerator local = ScriptedGenerator.replying("l", "a #### 1", "b #### 1", "c #### 3");
        ScriptedGenerator mid = ScriptedGenerator.failing("m");
        ScriptedGenerator top = ScriptedGenerator.replying("t", "full #### 9");

        // when: k = 3 so the bottom escalates, the middle tier fails
        ShepherdResult r = shepherd(TierCascade.builder().build(), ladder(local, mid, top),
                FailureMode.FALLBACK_TO_SMALL, CostLedger.create()).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("a #### 1");
        assertThat(r.degraded()).isTrue();
        assertThat(r.answeredBy().tier()).isEqualTo("local");
        assertThat(r.calls().get(3).tier()).isEqualTo("mid");
        assertThat(r.calls().get(3).failed()).isTrue();
        assertThat(top.calls()).isZero();
    }

    @Test
    void should_reject_an_agreement_above_the_samples() {
        assertThatThrownBy(() -> TierCascade.builder().samples(2).agreement(3).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
