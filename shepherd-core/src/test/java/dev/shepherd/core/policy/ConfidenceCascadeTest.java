package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfidenceCascadeTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return ConfidenceCascade.builder().threshold(0.8).build();
    }

    @Override
    protected String smallReply(GenerationRequest request, int repeat) {
        return "It is #### " + 2 * questionNumber(request) + "\nConfidence: 0.4";
    }

    @Test
    void should_return_the_small_answer_without_its_confidence_line_at_or_above_the_threshold() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "Sum is 4.\n#### 4\nConfidence: 0.8");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 5");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(ConfidenceCascade.builder().threshold(0.8)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("Sum is 4.\n#### 4");
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.notes()).containsExactly("confidence 0.80");
        assertThat(large.calls()).isZero();
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.CONFIDENCE);
    }

    @Test
    void should_defer_to_the_large_model_below_the_threshold() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 4\nConfidence: 79%");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 5");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(ConfidenceCascade.builder().threshold(0.8)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("#### 5");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly("confidence 0.79");
        assertThat(large.lastRequest().messages()).extracting(PromptMessage::text).containsExactly("q");
    }

    @Test
    void should_treat_an_unparseable_confidence_as_zero_and_note_it() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 4\nI am fairly sure.");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 5");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(ConfidenceCascade.builder().threshold(0.1)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly(ConfidenceCascade.NOTE_UNPARSED, "confidence 0.00");
    }

    @Test
    void should_defer_a_response_that_states_only_a_confidence() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "Confidence: 0.99");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 5");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(ConfidenceCascade.builder().threshold(0.5)
                .build(), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.text()).isEqualTo("#### 5");
        assertThat(r.notes()).containsExactly("confidence 0.99", ConfidenceCascade.NOTE_NO_ANSWER);
    }

    @Test
    void should_append_the_instruction_line_to_the_rendered_question() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 4\nConfidence: 1");
        Shepherd shepherd = Shepherd.builder().small(small).large(ScriptedGenerator.replying("l", "#### 5"))
                .policy(ConfidenceCascade.builder().threshold(0.5).instruction("Rate yourself: Confidence: x").build())
                .template(PromptTemplate.paper("Answer with ####.")).costModel(PolicyTestSupport.COSTS)
                .extractor(AnswerExtractor.math()).build();
        Query q = Query.of("q1", "2 + 2?", "4").withContext(List.of(PromptMessage.system("Be brief.")));

        // when
        shepherd.answer(q);

        // then
        assertThat(small.lastRequest().messages()).containsExactly(PromptMessage.system("Be brief."),
                PromptMessage.user("Instruction: Answer with ####.\nQuestion: 2 + 2?\nRate yourself: Confidence: x"));
    }

    @Test
    void should_answer_with_the_stripped_small_answer_when_the_large_model_fails() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 4\nConfidence: low");
        Shepherd shepherd = Shepherd.builder().small(small).large(ScriptedGenerator.failing("l"))
                .policy(ConfidenceCascade.builder().threshold(0.5).build()).costModel(PolicyTestSupport.COSTS)
                .failureMode(FailureMode.FALLBACK_TO_SMALL).build();

        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));

        // then: no second small-model call, and no confidence line in the answer
        assertThat(r.text()).isEqualTo("#### 4");
        assertThat(r.degraded()).isTrue();
        assertThat(small.calls()).isEqualTo(1);
    }

    @Test
    void should_reject_thresholds_outside_zero_one_and_blank_instructions() {
        assertThatThrownBy(() -> ConfidenceCascade.builder().threshold(1.01)
                .build()).hasMessage("threshold must be in [0, 1] but was 1.01");
        assertThatThrownBy(() -> ConfidenceCascade.builder().threshold(-0.1).build()).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> ConfidenceCascade.builder().threshold(Double.NaN).build()).hasMessageContaining("NaN");
        assertThatThrownBy(() -> ConfidenceCascade.builder().threshold(0.5).instruction(" ")
                .build()).hasMessageContaining("instruction");
    }
}
