package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import org.junit.jupiter.api.Test;

class LlamaCppChatResponseMetadataTest {

    @Test
    void should_keep_its_own_fields_when_rebuilt_with_another_token_usage() {
        // given
        LlamaCppChatResponseMetadata metadata = LlamaCppChatResponseMetadata.builder()
                .id("x").modelName("m.gguf").tokenUsage(new TokenUsage(3, 4)).finishReason(FinishReason.LENGTH)
                .renderedPrompt("User: Hi\nAssistant: Yes").prefill("Yes").seed(9).stopSequence(".").build();

        // when
        LlamaCppChatResponseMetadata rebuilt = metadata.toBuilder().tokenUsage(new TokenUsage(30, 40)).build();

        // then
        assertThat(rebuilt.tokenUsage()).isEqualTo(new TokenUsage(30, 40));
        assertThat(rebuilt.renderedPrompt()).isEqualTo("User: Hi\nAssistant: Yes");
        assertThat(rebuilt.prefill()).isEqualTo("Yes");
        assertThat(rebuilt.seed()).isEqualTo(9);
        assertThat(rebuilt.stopSequence()).isEqualTo(".");
        assertThat(rebuilt.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(rebuilt).isNotEqualTo(metadata);
        assertThat(rebuilt.toBuilder().tokenUsage(new TokenUsage(3, 4)).build()).isEqualTo(metadata);
    }
}
