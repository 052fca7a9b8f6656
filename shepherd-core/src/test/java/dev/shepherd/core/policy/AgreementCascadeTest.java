package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class AgreementCascadeTest extends ShepherdingPolicyContract {

    private static final String LARGE_ANSWER = "worked out fully #### 9";

    @Override
    protected ShepherdingPolicy policy() {
        return AgreementCascade.builder().samples(3).agreement(2).build();
    }

    @Override
    protected String smallReply(GenerationRequest request, int repeat) {
        return "maybe #### " + (100 * questionNumber(request) + repeat);
    }

    @Test
    void should_return_the_first_agreeing_sample_without_the_large_model_when_k_agree() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "x #### 4", "y #### 5", "z #### 5");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(AgreementCascade.builder().samples(3).agreement(2)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("y #### 5");
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.notes()).containsExactly("agreed 2/3");
        assertThat(large.calls()).isZero();
        assertThat(PolicyTestSupport.purposes(r)).containsOnly(CallPurpose.SAMPLE).hasSize(3);
    }

    @Test
    void should_escalate_to_the_large_models_full_answer_when_fewer_than_k_agree() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "x #### 4", "y #### 5", "z #### 5");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(AgreementCascade.builder().samples(3).agreement(3)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo(LARGE_ANSWER);
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly("disagreed 2/3");
        assertThat(r.hint()).isNull();
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(4096);
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.SAMPLE, CallPurpose.SAMPLE,
                CallPurpose.SAMPLE, CallPurpose.ANSWER);
    }

    @Test
    void should_never_count_samples_without_a_final_answer_as_agreeing() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "no idea", "no idea");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(AgreementCascade.builder().samples(2).agreement(2)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly("disagreed 0/2");
    }

    @Test
    void should_sample_k_times_with_the_configured_sampling() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        Sampling hot = new Sampling(1.0, 0.9);

        // when
        PolicyTestSupport.shepherd(AgreementCascade.builder().samples(5).agreement(4).sampling(hot).build(), small,
                ScriptedGenerator.replying("l", LARGE_ANSWER)).answer(Query.of("q"));

        // then
        assertThat(small.requests()).hasSize(5).allSatisfy(req -> assertThat(req.sampling()).isEqualTo(hot));
    }

    @Test
    void should_reject_agreement_above_samples_naming_k_and_K() {
        assertThatThrownBy(() -> AgreementCascade.builder().samples(2).agreement(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agreement (k = 3) must not exceed samples (K = 2)");
        assertThatThrownBy(() -> AgreementCascade.builder().samples(0).agreement(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples (K)").hasMessageContaining("0");
        assertThatThrownBy(() -> AgreementCascade.builder().samples(3).agreement(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agreement (k)");
    }

    @Test
    void should_default_to_three_unanimous_samples() {
        AgreementCascade p = AgreementCascade.builder().build();
        assertThat(p.samples()).isEqualTo(3);
        assertThat(p.agreement()).isEqualTo(3);
    }
}
