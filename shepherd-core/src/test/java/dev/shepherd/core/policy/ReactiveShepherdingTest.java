package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.MissingTokenEntropyException;
import dev.shepherd.core.hint.PredictorMismatchException;
import dev.shepherd.core.hint.SampleFeatures.EntropySource;
import dev.shepherd.core.hint.SampleFeatures;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReactiveShepherdingTest extends ShepherdingPolicyContract {

    private static final HintDecisionRule RULE = new HintDecisionRule(0.5, 20, 100);
    private static final String LARGE_ANSWER = "a b c d e f g h i j k l m n o p q r s t u v w x y z #### 9";

    @Override
    protected ShepherdingPolicy policy() {
        return ReactiveShepherding.builder().predictor(HintPredictor.constant(0.9, 8)).rule(RULE).build();
    }

    @Override
    protected String smallReply(GenerationRequest request, int repeat) {
        // Samples of one query all differ; the answer after a hint is the right one.
        return "I think #### " + (request.messages().get(0).text().contains("Hint:") ? 2 * questionNumber(request)
                : 1000 + repeat);
    }

    private static ReactiveShepherding reactive(double p, double n) {
        return ReactiveShepherding.builder().predictor(HintPredictor.constant(p, n)).rule(RULE).build();
    }

    @Test
    void should_return_the_agreed_sample_without_any_large_model_call_when_two_of_three_agree() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "first #### 5", "second #### 6", "third #### 5.0");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(reactive(1, 10), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.text()).isEqualTo("first #### 5");
        assertThat(r.notes()).contains("agreed 2/3");
        assertThat(large.calls()).isZero();
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.SAMPLE, CallPurpose.SAMPLE,
                CallPurpose.SAMPLE);
    }

    @Test
    void should_draw_k_samples_at_the_papers_sampling_with_logprobs() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 5");

        // when
        PolicyTestSupport.shepherd(reactive(1, 10), small, ScriptedGenerator.replying("l", LARGE_ANSWER))
                .answer(Query.of("q"));

        // then
        assertThat(small.requests()).hasSize(3).allSatisfy(req -> {
            assertThat(req.sampling()).isEqualTo(Sampling.PAPER);
            assertThat(req.logprobs()).isTrue();
        });
    }

    @Test
    void should_ask_the_predictor_with_mean_entropy_and_mean_output_length_when_samples_disagree() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "one #### 1", "two words #### 2",
                "three more words #### 3", "after hint #### 4").withTokenEntropy(0.5);
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.9, 5);
        ShepherdingPolicy policy = ReactiveShepherding.builder().predictor(predictor).rule(RULE).build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, ScriptedGenerator.replying("l", LARGE_ANSWER))
                .answer(Query.of("q"));

        // then
        assertThat(predictor.seen).hasSize(1);
        Features f = predictor.seen.get(0);
        assertThat(f.get(Features.MEAN_OUTPUT_LENGTH).getAsDouble()).isEqualTo((3 + 4 + 5) / 3.0);
        assertThat(f.get(Features.MEAN_ENTROPY).getAsDouble()).isEqualTo(0.5);
        assertThat(r.decision()).isEqualTo(Decision.hint(5));
        assertThat(r.notes()).contains("disagreed 1/3").doesNotContain("entropy-from-answers");
    }

    @Test
    void should_give_a_query_only_predictor_no_sample_features() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "one #### 1", "two words #### 2",
                "three more words #### 3", "after hint #### 4");
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.9, 5, Set.of());
        ShepherdingPolicy policy = ReactiveShepherding.builder().predictor(predictor).rule(RULE).build();

        // when
        PolicyTestSupport.shepherd(policy, small, ScriptedGenerator.replying("l", LARGE_ANSWER)).answer(Query.of("q"));

        // then
        assertThat(predictor.seen).containsExactly(Features.none());
    }

    @Test
    void should_refuse_at_build_time_a_predictor_needing_features_the_samples_cannot_give() {
        HintPredictor needsGpuLoad = new PolicyTestSupport.RecordingPredictor(0.9, 5, Set.of("gpu_load"));

        assertThatThrownBy(() -> ReactiveShepherding.builder().predictor(needsGpuLoad).build())
                .isInstanceOf(PredictorMismatchException.class)
                .hasMessageContaining("[gpu_load]");
        assertThatThrownBy(() -> ProactiveShepherding.builder()
                .predictor(new PolicyTestSupport.RecordingPredictor(0.9, 5)).rule(RULE).build())
                .isInstanceOf(PredictorMismatchException.class)
                .hasMessageContaining("proactive-shepherding").hasMessageContaining("mean_entropy");
        assertThatThrownBy(() -> PredictorRouting.builder().predictor(new PolicyTestSupport.RecordingPredictor(0.9, 5))
                .threshold(0.5).build())
                .isInstanceOf(PredictorMismatchException.class);
    }

    @Test
    void should_use_the_entropy_of_the_answers_when_the_small_model_gives_no_logprobs() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 2", "#### 3", "#### 4");
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.9, 5);
        ShepherdingPolicy policy = ReactiveShepherding.builder().predictor(predictor).rule(RULE).build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, ScriptedGenerator.replying("l", LARGE_ANSWER))
                .answer(Query.of("q"));

        // then
        assertThat(predictor.seen.get(0).get(Features.MEAN_ENTROPY).getAsDouble()).isCloseTo(Math.log(3),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.notes()).contains("entropy-from-answers");
    }

    @Test
    void should_send_a_prediction_above_eta_straight_to_the_large_model_without_a_hint_call() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 2", "#### 3");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(reactive(0.9, 21), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(large.calls()).isEqualTo(1);
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(4096);
        assertThat(PolicyTestSupport.purposes(r)).containsExactly(CallPurpose.SAMPLE, CallPurpose.SAMPLE,
                CallPurpose.SAMPLE, CallPurpose.ANSWER);
        assertThat(small.calls()).isEqualTo(3);
        assertThat(r.text()).isEqualTo(LARGE_ANSWER);
    }

    @Test
    void should_reuse_a_sample_without_another_call_when_the_predicted_hint_is_zero() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 2", "#### 3", "#### 4");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(reactive(0.1, 30), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(small.calls()).isEqualTo(3);
        assertThat(large.calls()).isZero();
        assertThat(r.text()).isIn("#### 1", "#### 2", "#### 3");
    }

    @Test
    void should_buy_a_hint_and_ask_the_small_model_again_when_the_predicted_hint_is_within_eta() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 2", "#### 3", "with hint #### 9");
        ScriptedGenerator large = ScriptedGenerator.replying("l", LARGE_ANSWER);

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(reactive(0.9, 4), small, large).answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.hint(4));
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(4);
        assertThat(small.lastRequest().messages().get(0).text()).endsWith("Hint: a b c d");
        assertThat(r.text()).isEqualTo("with hint #### 9");
    }

    @Test
    void should_fall_back_to_the_plurality_sample_without_another_call_when_the_hint_fails() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 2", "again #### 2", "#### 3", "x");
        dev.shepherd.core.run.Shepherd shepherd = PolicyTestSupport.shepherd(
                        ReactiveShepherding.builder().predictor(HintPredictor.constant(0.9, 4)).rule(RULE)
                                .samples(4).agreement(3).build(), small, ScriptedGenerator.failing("l"))
                .toBuilder().failureMode(dev.shepherd.core.run.FailureMode.FALLBACK_TO_SMALL).build();

        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("#### 2");
        assertThat(r.degraded()).isTrue();
        assertThat(small.calls()).isEqualTo(4);
    }

    @Test
    void should_reject_k_greater_than_k_samples_naming_both() {
        assertThatThrownBy(() -> ReactiveShepherding.builder().predictor(HintPredictor.constant(0, 0))
                .samples(2).agreement(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agreement (k = 3) must not exceed samples (K = 2)");
        assertThatThrownBy(() -> ReactiveShepherding.builder().samples(0)).hasMessageContaining("samples");
        assertThatThrownBy(() -> ReactiveShepherding.builder().build()).hasMessageContaining("predictor");
    }

    @Test
    void should_compute_answer_entropy_with_missing_answers_as_distinct_values() {
        assertThat(ReactiveShepherding.answerEntropy(List.of(Optional.of("1"), Optional.of("1")))).isZero();
        assertThat(ReactiveShepherding.answerEntropy(List.of(Optional.empty(), Optional.empty())))
                .isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void should_feed_the_predictor_exactly_the_sample_features_that_labeling_computes() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "one #### 1", "two words #### 2",
                "three more words #### 3", "after hint #### 4").withTokenEntropy(0.37);
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.9, 5);
        ShepherdingPolicy policy = ReactiveShepherding.builder().predictor(predictor).rule(RULE).build();

        // when
        PolicyTestSupport.shepherd(policy, small, ScriptedGenerator.replying("l", LARGE_ANSWER)).answer(Query.of("q"));

        // then
        List<String> texts = List.of("one #### 1", "two words #### 2", "three more words #### 3");
        List<dev.shepherd.core.model.Completion> drawn = java.util.stream.IntStream.range(0, 3)
                .mapToObj(i -> small.complete(small.requests().get(i), texts.get(i))).toList();
        List<Optional<String>> answers = List.of(Optional.of("1"), Optional.of("2"), Optional.of("3"));
        assertThat(predictor.seen.get(0)).isEqualTo(SampleFeatures.of(drawn, answers).features());
    }

    @Test
    void should_fail_clearly_when_pinned_to_token_entropy_and_the_small_model_gives_no_logprobs() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 2", "#### 3");
        ReactiveShepherding policy = ReactiveShepherding.builder()
                .predictor(new PolicyTestSupport.RecordingPredictor(0.9, 5))
                .rule(RULE).entropySource(EntropySource.TOKEN).build();

        // then
        assertThat(policy.entropySource()).isEqualTo(EntropySource.TOKEN);
        assertThatThrownBy(() -> PolicyTestSupport.shepherd(policy, small, ScriptedGenerator.replying("l",
                LARGE_ANSWER)).answer(Query.of("q")))
                .isInstanceOf(MissingTokenEntropyException.class)
                .hasMessageContaining("predictor trained on token entropy but the small model returned no "
                        + "log-probabilities");
    }

    @Test
    void should_always_use_answer_entropy_when_pinned_to_it() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1", "#### 1", "#### 3", "#### 4")
                .withTokenEntropy(0.5);
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.9, 5);
        ReactiveShepherding policy = ReactiveShepherding.builder().predictor(predictor).rule(RULE).samples(3)
                .agreement(3).entropySource(EntropySource.ANSWER).build();

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(policy, small, ScriptedGenerator.replying("l", LARGE_ANSWER))
                .answer(Query.of("q"));

        // then
        assertThat(predictor.seen.get(0).get(Features.MEAN_ENTROPY).getAsDouble()).isCloseTo(
                SampleFeatures.answerEntropy(List.of(Optional.of("1"), Optional.of("1"), Optional.of("3"))),
                org.assertj.core.data.Offset.offset(0.0));
        assertThat(r.notes()).contains("entropy-from-answers");
        assertThat(ReactiveShepherding.builder().predictor(predictor).build().entropySource()).isNull();
    }
}
