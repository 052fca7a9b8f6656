package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.Decision;
import dev.shepherd.core.run.ShepherdResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShepherdChatResponseMetadataTest {

    private static ShepherdChatResponseMetadata sample(List<String> notes) {
        return ShepherdChatResponseMetadata.builder().id("r1").modelName("small").tokenUsage(new TokenUsage(10, 5))
                .finishReason(FinishReason.STOP).policy("proactive-shepherding").decision(Decision.hint(4))
                .hintTokens(4).hintText("The answer").smallTokenUsage(new TokenUsage(6, 1))
                .largeTokenUsage(new TokenUsage(4, 4)).costUsd(0.001).calls(List.of()).notes(notes).build();
    }

    @Test
    void should_copy_every_field_with_to_builder() {
        // given
        ShepherdChatResponseMetadata md = sample(List.of("x"));
        // when
        ShepherdChatResponseMetadata copy = md.toBuilder().build();
        // then
        assertThat(copy).isEqualTo(md).hasSameHashCodeAs(md);
        assertThat(copy.hintText()).isEqualTo("The answer");
        assertThat(copy.largeTokenUsage()).isEqualTo(new TokenUsage(4, 4));
    }

    @Test
    void should_change_token_usage_through_its_own_builder() {
        // when
        ShepherdChatResponseMetadata changed = sample(List.of()).toBuilder().tokenUsage(new TokenUsage(1, 1)).build();
        // then
        assertThat(changed.tokenUsage()).isEqualTo(new TokenUsage(1, 1));
        assertThat(changed.decision()).isEqualTo(Decision.hint(4));
    }

    @Test
    void should_flag_degraded_responses() {
        assertThat(sample(List.of(ShepherdResult.NOTE_SPEND_CAP)).degraded()).isTrue();
        assertThat(sample(List.of(ShepherdResult.NOTE_LARGE_UNAVAILABLE)).degraded()).isTrue();
        assertThat(sample(List.of("agreed 3/3")).degraded()).isFalse();
    }

    @Test
    void should_validate_its_fields() {
        assertThatThrownBy(() -> ShepherdChatResponseMetadata.builder().hintTokens(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hintTokens must be >= 0 but was -1");
        assertThatThrownBy(() -> ShepherdChatResponseMetadata.builder().costUsd(Double.NaN))
                .hasMessageContaining("costUsd");
        assertThatThrownBy(() -> ShepherdChatResponseMetadata.builder().decision(Decision.smallOnly()).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("policy");
    }
}
