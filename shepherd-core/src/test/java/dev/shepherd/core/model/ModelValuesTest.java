package dev.shepherd.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelValuesTest {

    @Test
    void should_validate_completions_and_average_entropy() {
        Completion c = new Completion("x", 3, 2, FinishReason.STOP, List.of(0.2, 0.4));
        assertThat(c.meanEntropy().getAsDouble()).isCloseTo(0.3, within(1e-12));
        assertThat(Completion.of("x", 1, 1, FinishReason.LENGTH).meanEntropy()).isEmpty();
        assertThatThrownBy(() -> Completion.of("x", -1, 0, FinishReason.STOP)).hasMessageContaining("inputTokens");
        assertThatThrownBy(() -> Completion.of("x", 0, -1, FinishReason.STOP)).hasMessageContaining("outputTokens");
        assertThatThrownBy(() -> new Completion("x", 0, 0, FinishReason.STOP, List.of(Double.NaN)))
                .hasMessageContaining("tokenEntropies");
    }

    @Test
    void should_compute_entropy_from_top_logprobs() {
        assertThat(Entropy.ofTopLogprobs(new double[] {0.0})).isZero();
        assertThat(Entropy.ofTopLogprobs(new double[] {Math.log(0.5), Math.log(0.5)})).isCloseTo(Math.log(2), within(1e-12));
        // top-k mass 0.5 is renormalised: two equal candidates still give ln 2
        assertThat(Entropy.ofTopLogprobs(new double[] {Math.log(0.25), Math.log(0.25)})).isCloseTo(Math.log(2), within(1e-12));
        assertThatThrownBy(() -> Entropy.ofTopLogprobs(new double[0])).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Entropy.ofTopLogprobs(new double[] {0.5})).hasMessageContaining("0.5");
    }

    @Test
    void should_build_requests_and_reject_bad_ones() {
        GenerationRequest r = GenerationRequest.builder().messages(List.of(PromptMessage.user("hi")))
                .maxOutputTokens(5).sampling(Sampling.PAPER).logprobs(true).assistantPrefix("so").stop(List.of("\n"))
                .build();
        assertThat(r.toBuilder().build()).isEqualTo(r);
        assertThatThrownBy(() -> GenerationRequest.builder().build()).hasMessageContaining("messages");
        assertThatThrownBy(() -> r.toBuilder().maxOutputTokens(0).build())
                .hasMessage("maxOutputTokens must be > 0 but was 0");
        assertThatThrownBy(() -> r.toBuilder().maxOutputTokens(-7).build()).hasMessageContaining("-7");
    }

    @Test
    void should_validate_sampling() {
        assertThat(Sampling.PAPER).isEqualTo(new Sampling(0.3, 0.95));
        assertThatThrownBy(() -> new Sampling(-0.1, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(Double.NaN, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(0.3, 0)).hasMessageContaining("topP");
        assertThatThrownBy(() -> new Sampling(0.3, 1.01)).hasMessageContaining("topP");
    }

    @Test
    void should_label_roles_in_lower_case() {
        assertThat(ModelRole.SMALL.label()).isEqualTo("small");
        assertThat(ModelRole.LARGE.label()).isEqualTo("large");
        assertThat(PromptMessage.system("s").role()).isEqualTo(PromptMessage.Role.SYSTEM);
        assertThatThrownBy(() -> PromptMessage.user(null)).hasMessageContaining("text");
    }
}
