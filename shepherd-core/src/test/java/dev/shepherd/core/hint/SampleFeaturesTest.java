package dev.shepherd.core.hint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.hint.SampleFeatures.EntropySource;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class SampleFeaturesTest {

    private static Completion withEntropies(int tokens, Double... entropies) {
        return new Completion("x", 10, tokens, FinishReason.STOP, List.of(entropies));
    }

    @Test
    void should_use_the_mean_of_the_mean_token_entropies_when_every_sample_carries_them() {
        // given
        List<Completion> samples = List.of(withEntropies(2, 0.2, 0.4), withEntropies(4, 1.0, 1.0, 1.0, 1.0),
                withEntropies(3, 0.0, 0.3, 0.6));
        List<Optional<String>> answers = List.of(Optional.of("1"), Optional.of("2"), Optional.of("3"));

        // when
        SampleFeatures.Result r = SampleFeatures.of(samples, answers);

        // then
        assertThat(r.source()).isEqualTo(EntropySource.TOKEN);
        assertThat(r.meanEntropy()).isCloseTo((0.3 + 1.0 + 0.3) / 3, Offset.offset(1e-12));
        assertThat(r.meanOutputLength()).isEqualTo(3.0);
        assertThat(r.features().asMap().keySet()).containsExactly(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);
    }

    @Test
    void should_use_the_answer_entropy_when_one_sample_has_no_token_entropies() {
        // given
        List<Completion> samples = List.of(withEntropies(2, 0.2, 0.4), Completion.of("y", 10, 5, FinishReason.STOP),
                withEntropies(2, 0.1, 0.1));
        List<Optional<String>> answers = List.of(Optional.of("1"), Optional.of("1"), Optional.empty());

        // when
        SampleFeatures.Result r = SampleFeatures.of(samples, answers);

        // then: p = (2/3, 1/3): the missing answer is a value of its own
        assertThat(r.source()).isEqualTo(EntropySource.ANSWER);
        assertThat(r.meanEntropy()).isCloseTo(-(2 / 3.0) * Math.log(2 / 3.0) - (1 / 3.0) * Math.log(1 / 3.0),
                Offset.offset(1e-12));
        assertThat(r.meanOutputLength()).isEqualTo(3.0);
    }

    @Test
    void should_compute_from_recorded_values_exactly_what_it_computes_from_completions() {
        // given
        List<Completion> samples = List.of(withEntropies(3, 0.123456789, 0.7, 0.01), withEntropies(1, 0.333),
                withEntropies(2, 0.9, 0.05));
        List<Optional<String>> answers = List.of(Optional.of("7"), Optional.of("8"), Optional.of("7"));

        // when
        SampleFeatures.Result fromCompletions = SampleFeatures.of(samples, answers);
        SampleFeatures.Result fromRecords = SampleFeatures.compute(
                samples.stream().map(c -> c.meanEntropy().getAsDouble()).toList(), List.of(3L, 1L, 2L), answers, null);

        // then
        assertThat(fromRecords).isEqualTo(fromCompletions);
    }

    @Test
    void should_honour_a_required_entropy_source() {
        // given
        List<Completion> tokens = List.of(withEntropies(2, 0.2, 0.4), withEntropies(2, 0.2, 0.4));
        List<Completion> none = List.of(Completion.of("a", 1, 1, FinishReason.STOP),
                Completion.of("b", 1, 1, FinishReason.STOP));
        List<Optional<String>> answers = List.of(Optional.of("1"), Optional.of("2"));

        // then
        assertThat(SampleFeatures.of(tokens, answers, EntropySource.ANSWER).meanEntropy())
                .isCloseTo(Math.log(2), Offset.offset(1e-12));
        assertThat(SampleFeatures.of(tokens, answers, EntropySource.TOKEN).meanEntropy())
                .isCloseTo(0.3, Offset.offset(1e-12));
        assertThatThrownBy(() -> SampleFeatures.of(none, answers, EntropySource.TOKEN))
                .isInstanceOf(MissingTokenEntropyException.class)
                .hasMessageStartingWith("predictor trained on token entropy but the small model returned no "
                        + "log-probabilities; ");
        assertThatThrownBy(() -> SampleFeatures.compute(List.of(), List.of(), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SampleFeatures.compute(Arrays.asList(0.1, null), List.of(1), answers, null))
                .hasMessageContaining("one entropy, output length and answer per sample");
        assertThat(EntropySource.parse("Token")).isEqualTo(EntropySource.TOKEN);
        assertThat(EntropySource.ANSWER.label()).isEqualTo("answer");
        assertThatThrownBy(() -> EntropySource.parse("bits")).hasMessageContaining("'bits'");
    }
}
