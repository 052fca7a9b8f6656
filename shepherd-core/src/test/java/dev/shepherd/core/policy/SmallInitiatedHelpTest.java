package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class SmallInitiatedHelpTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return SmallInitiatedHelp.builder().build();
    }

    @Override
    protected String smallReply(GenerationRequest request, int repeat) {
        return request.assistantPrefix() == null ? "Let me add. [HELP] never shown"
                : " so the sum is #### " + 2 * questionNumber(request);
    }

    @Test
    void should_cut_at_the_marker_ask_the_large_model_to_continue_and_resume_the_small_model() {
        // given
        ScriptedGenerator small = ScriptedGenerator.answering("s", r -> r.assistantPrefix() == null
                ? "Step 1: 17 * 23.[HELP] ignored" : " Then #### 391");
        ScriptedGenerator large = ScriptedGenerator.replying("l", " 17 * 20 = 340 and 17 * 3 = 51.");
        SmallInitiatedHelp policy = SmallInitiatedHelp.builder().helpTokens(9).build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, large).answer(Query.of("What is 17 * 23?"));

        // then
        GenerationRequest help = large.lastRequest();
        assertThat(help.assistantPrefix()).isEqualTo("Step 1: 17 * 23.");
        assertThat(help.maxOutputTokens()).isEqualTo(9);
        assertThat(help.sampling()).isEqualTo(Sampling.GREEDY);
        assertThat(help.messages()).extracting(PromptMessage::text).containsExactly("What is 17 * 23?");
        assertThat(small.requests().get(0).messages().get(0).text())
                .isEqualTo("What is 17 * 23?\n" + SmallInitiatedHelp.defaultInstruction("[HELP]"));
        assertThat(small.lastRequest().assistantPrefix()).isEqualTo("Step 1: 17 * 23. 17 * 20 = 340 and 17 * 3");
        assertThat(r.text()).isEqualTo("Step 1: 17 * 23. 17 * 20 = 340 and 17 * 3 Then #### 391");
        assertThat(r.decision()).isEqualTo(Decision.hint(9));
        assertThat(r.notes()).containsExactly("help-requests=1");
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.ANSWER, CallPurpose.HELP,
                CallPurpose.ANSWER);
    }

    @Test
    void should_stop_asking_after_max_requests_and_strip_the_remaining_markers() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "a [HELP]", " b [HELP]", " c [HELP] d [HELP]");
        ScriptedGenerator large = ScriptedGenerator.replying("l", " x y z and more");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(SmallInitiatedHelp.builder().helpTokens(3).build(), small, large)
                .answer(Query.of("q"));

        // then
        assertThat(large.calls()).isEqualTo(2);
        assertThat(small.calls()).isEqualTo(3);
        assertThat(r.text()).isEqualTo("a  x y z b  x y z c  d ").doesNotContain("[HELP]");
        assertThat(r.decision()).isEqualTo(Decision.hint(6));
        assertThat(r.notes()).containsExactly("help-requests=2");
    }

    @Test
    void should_answer_alone_when_the_small_model_asks_no_help() {
        // given
        ScriptedGenerator large = ScriptedGenerator.replying("l", "x");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(SmallInitiatedHelp.builder().build(),
                ScriptedGenerator.replying("s", "easy #### 2"), large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("easy #### 2");
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.notes()).containsExactly("help-requests=0");
        assertThat(large.calls()).isZero();
    }

    @Test
    void should_not_resume_the_small_model_when_the_large_model_finished_the_answer() {
        // given: the continuation ends within the cap (finish reason STOP)
        ScriptedGenerator small = ScriptedGenerator.replying("s", "start <?>", "never used");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "done #### 4");
        SmallInitiatedHelp policy = SmallInitiatedHelp.builder().marker("<?>").instruction("Write <?> if stuck.")
                .build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("start done #### 4");
        assertThat(small.calls()).isEqualTo(1);
        assertThat(small.lastRequest().messages().get(0).text()).endsWith("\nWrite <?> if stuck.");
    }

    @Test
    void should_ask_for_help_without_a_prefix_when_the_small_model_starts_with_the_marker() {
        // given
        ScriptedGenerator small = ScriptedGenerator.answering("s", r -> r.assistantPrefix() == null
                ? "[HELP]" : " and so #### 4");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "First add two and two");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(SmallInitiatedHelp.builder().helpTokens(3).build(), small, large)
                .answer(Query.of("q"));

        // then
        assertThat(large.lastRequest().assistantPrefix()).isNull();
        assertThat(small.lastRequest().assistantPrefix()).isEqualTo("First add two");
        assertThat(r.text()).isEqualTo("First add two and so #### 4");
    }

    @Test
    void should_only_strip_markers_when_no_requests_are_allowed() {
        // given
        ScriptedGenerator large = ScriptedGenerator.replying("l", "x");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(SmallInitiatedHelp.builder().maxRequests(0).build(),
                ScriptedGenerator.replying("s", "a [HELP] b"), large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("a  b");
        assertThat(large.calls()).isZero();
    }

    @Test
    void should_reject_bad_settings() {
        assertThatThrownBy(() -> SmallInitiatedHelp.builder()
                .helpTokens(0)).hasMessage("helpTokens must be >= 1 but was 0");
        assertThatThrownBy(() -> SmallInitiatedHelp.builder().maxRequests(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> SmallInitiatedHelp.builder().marker(" ")).hasMessageContaining("marker");
        assertThatThrownBy(() -> SmallInitiatedHelp.builder().instruction("")).hasMessageContaining("instruction");
    }
}
