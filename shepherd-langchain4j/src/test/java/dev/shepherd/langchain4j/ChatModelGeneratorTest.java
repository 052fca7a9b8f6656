package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.model.Sampling;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class ChatModelGeneratorTest {

    private final ChatModel model = mock(ChatModel.class);

    private static GenerationRequest request() {
        return GenerationRequest.builder()
                .messages(List.of(PromptMessage.system("sys"), PromptMessage.user("q1"), PromptMessage.assistant("a1"),
                        PromptMessage.user("q2")))
                .maxOutputTokens(7).sampling(new Sampling(0.3, 0.95)).stop(List.of("END")).build();
    }

    private static ChatResponse response(String text, TokenUsage usage, dev.langchain4j.model.output.FinishReason reason) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text))
                .metadata(ChatResponseMetadata.builder().tokenUsage(usage).finishReason(reason).build()).build();
    }

    /** Metadata of an in-process model that knows its token entropies. */
    static final class EntropyMetadata extends ChatResponseMetadata implements TokenEntropyMetadata {
        EntropyMetadata(Builder<?> b) {
            super(b);
        }

        @Override
        public List<Double> tokenEntropies() {
            return List.of(0.5, 1.5);
        }
    }

    @Test
    void should_map_messages_cap_sampling_stop_and_assistant_prefix() {
        // given
        when(model.chat(any(ChatRequest.class))).thenReturn(response("x", new TokenUsage(1, 1),
                dev.langchain4j.model.output.FinishReason.STOP));
        ChatModelGenerator generator = ChatModelGenerator.of(model, "m", ModelRole.SMALL);
        // when
        generator.generate(request().toBuilder().assistantPrefix("The start").build());
        // then
        ArgumentCaptor<ChatRequest> sent = ArgumentCaptor.forClass(ChatRequest.class);
        verify(model).chat(sent.capture());
        ChatRequest r = sent.getValue();
        assertThat(r.messages()).containsExactly(SystemMessage.from("sys"), UserMessage.from("q1"), AiMessage.from("a1"),
                UserMessage.from("q2"), AiMessage.from("The start"));
        assertThat(r.maxOutputTokens()).isEqualTo(7);
        assertThat(r.temperature()).isEqualTo(0.3);
        assertThat(r.topP()).isEqualTo(0.95);
        assertThat(r.stopSequences()).containsExactly("END");
    }

    @Test
    void should_map_text_usage_and_finish_reasons() {
        // given
        ChatModelGenerator generator = ChatModelGenerator.of(model, "m", ModelRole.LARGE);
        // when / then
        for (var pair : List.of(
                List.of(dev.langchain4j.model.output.FinishReason.LENGTH, FinishReason.LENGTH),
                List.of(dev.langchain4j.model.output.FinishReason.STOP, FinishReason.STOP),
                List.of(dev.langchain4j.model.output.FinishReason.CONTENT_FILTER, FinishReason.OTHER),
                List.of(dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION, FinishReason.OTHER))) {
            when(model.chat(any(ChatRequest.class))).thenReturn(response("hello there", new TokenUsage(11, 2),
                    (dev.langchain4j.model.output.FinishReason) pair.get(0)));
            Completion c = generator.generate(request());
            assertThat(c.text()).isEqualTo("hello there");
            assertThat(c.inputTokens()).isEqualTo(11);
            assertThat(c.outputTokens()).isEqualTo(2);
            assertThat(c.finishReason()).isEqualTo(pair.get(1));
            assertThat(c.tokenEntropies()).isEmpty();
        }
    }

    @Test
    void should_fail_naming_the_model_when_the_backend_reports_no_usage() {
        // given
        when(model.chat(any(ChatRequest.class))).thenReturn(response("hello", null,
                dev.langchain4j.model.output.FinishReason.STOP));
        // when / then
        assertThatThrownBy(() -> ChatModelGenerator.of(model, "paid-llm", ModelRole.LARGE).generate(request()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.role()).isEqualTo(ModelRole.LARGE))
                .hasMessageContaining("paid-llm").hasMessageContaining("no token usage");
    }

    @Test
    void should_estimate_missing_usage_when_asked() {
        // given: 20 bytes of output, input "sys"+"q1"+"a1"+"q2" = 1+1+1+1 tokens
        when(model.chat(any(ChatRequest.class))).thenReturn(response("twenty bytes of text", new TokenUsage(),
                dev.langchain4j.model.output.FinishReason.STOP));
        ChatModelGenerator generator = ChatModelGenerator.builder().model(model).name("local").role(ModelRole.SMALL)
                .estimateMissingUsage(true).build();
        // when
        Completion c = generator.generate(request());
        // then
        assertThat(c.outputTokens()).isEqualTo(5);
        assertThat(c.inputTokens()).isEqualTo(4);
    }

    @Test
    void should_fail_on_empty_text() {
        // given
        when(model.chat(any(ChatRequest.class))).thenReturn(response(" ", new TokenUsage(1, 0),
                dev.langchain4j.model.output.FinishReason.STOP));
        // when / then
        assertThatThrownBy(() -> ChatModelGenerator.of(model, "m", ModelRole.SMALL).generate(request()))
                .isInstanceOf(ModelCallException.class).hasMessageContaining("'m'").hasMessageContaining("empty text");
    }

    @Test
    void should_pass_a_blank_capped_prefix_through_for_core_to_judge() {
        // given: a 1-token hint that is only whitespace
        when(model.chat(any(ChatRequest.class))).thenReturn(response(" ", new TokenUsage(5, 1),
                dev.langchain4j.model.output.FinishReason.LENGTH));
        // when
        Completion c = ChatModelGenerator.of(model, "m", ModelRole.LARGE).generate(request());
        // then
        assertThat(c.text()).isEqualTo(" ");
        assertThat(c.finishReason()).isEqualTo(dev.shepherd.core.model.FinishReason.LENGTH);
        assertThat(c.outputTokens()).isEqualTo(1);
    }

    @Test
    void should_read_entropies_from_token_entropy_metadata() {
        // given
        ChatResponse r = ChatResponse.builder().aiMessage(AiMessage.from("a b")).metadata(new EntropyMetadata(
                ChatResponseMetadata.builder().tokenUsage(new TokenUsage(1, 2)))).build();
        when(model.chat(any(ChatRequest.class))).thenReturn(r);
        // when
        Completion c = ChatModelGenerator.of(model, "llamacpp").generate(request());
        // then
        assertThat(c.tokenEntropies()).containsExactly(0.5, 1.5);
    }

    @Test
    void should_compute_entropies_from_openai_top_logprobs() {
        // given: a 50/50 position and a certain one
        LogProb even = LogProb.builder().token("a").logprob(Math.log(0.5)).topLogprobs(List.of(
                LogProb.builder().token("a").logprob(Math.log(0.5)).build(),
                LogProb.builder().token("b").logprob(Math.log(0.5)).build())).build();
        LogProb sure = LogProb.builder().token("c").logprob(0.0).topLogprobs(List.of(
                LogProb.builder().token("c").logprob(1e-12).build(),
                LogProb.builder().token("d").logprob(Double.NEGATIVE_INFINITY).build())).build();
        ChatResponse r = ChatResponse.builder().aiMessage(AiMessage.from("a c")).metadata(
                OpenAiChatResponseMetadata.builder().tokenUsage(new TokenUsage(3, 2)).logProbs(List.of(even, sure))
                        .build()).build();
        when(model.chat(any(ChatRequest.class))).thenReturn(r);
        // when
        Completion c = ChatModelGenerator.of(model, "vllm").generate(request());
        // then
        assertThat(c.tokenEntropies()).hasSize(2);
        assertThat(c.tokenEntropies().get(0)).isCloseTo(Math.log(2), within(1e-12));
        assertThat(c.tokenEntropies().get(1)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void should_report_no_entropies_when_logprobs_lack_alternatives() {
        // given
        LogProb alone = LogProb.builder().token("a").logprob(-0.1).build();
        ChatResponse r = ChatResponse.builder().aiMessage(AiMessage.from("a")).metadata(
                OpenAiChatResponseMetadata.builder().tokenUsage(new TokenUsage(3, 1)).logProbs(List.of(alone))
                        .build()).build();
        when(model.chat(any(ChatRequest.class))).thenReturn(r);
        // when / then
        assertThat(ChatModelGenerator.of(model, "vllm").generate(request()).tokenEntropies()).isEmpty();
    }

    @Test
    void should_describe_client_exceptions_and_never_retry() {
        // given
        ChatModelGenerator generator = ChatModelGenerator.of(model, "gpt", ModelRole.LARGE);
        when(model.chat(any(ChatRequest.class))).thenThrow(new RateLimitException("slow down"));
        // when / then
        assertThatThrownBy(() -> generator.generate(request()))
                .isInstanceOf(ModelCallException.class).hasMessageContaining("large model 'gpt' failed: rate limited")
                .hasCauseInstanceOf(RateLimitException.class);
        verify(model, times(1)).chat(any(ChatRequest.class));
    }

    @Test
    void should_mark_only_requests_refused_unprocessed_as_rejected_for_the_spend_cap() {
        // given: a 429 (never processed) and then a 500 (may have been processed and billed)
        ChatModelGenerator generator = ChatModelGenerator.of(model, "gpt", ModelRole.LARGE);
        when(model.chat(any(ChatRequest.class))).thenThrow(new RateLimitException("slow down"))
                .thenThrow(new InternalServerException("boom"));
        // when / then
        assertThatThrownBy(() -> generator.generate(request()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.rejected()).isTrue());
        assertThatThrownBy(() -> generator.generate(request()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.rejected()).isFalse());
    }

    @Test
    void should_throw_langchain4j_exceptions_naming_the_model_without_a_role() {
        // given
        when(model.chat(any(ChatRequest.class))).thenThrow(new ModelNotFoundException("no such model"))
                .thenThrow(new InternalServerException("boom"));
        ChatModelGenerator generator = ChatModelGenerator.of(model, "m1");
        // when / then
        assertThatThrownBy(() -> generator.generate(request())).isExactlyInstanceOf(LangChain4jException.class)
                .hasMessageContaining("model 'm1' failed: model not found");
        assertThatThrownBy(() -> generator.generate(request())).hasMessageContaining("server error");
    }

    @Test
    void should_derive_a_default_name_from_provider_and_model_name() {
        // given
        when(model.provider()).thenReturn(ModelProvider.OLLAMA);
        when(model.defaultRequestParameters()).thenReturn(ChatRequestParameters.builder().modelName("llama3.2:3b").build());
        // when / then
        assertThat(ChatModelGenerator.builder().model(model).build().name()).isEqualTo("ollama:llama3.2:3b");
        assertThatThrownBy(() -> ChatModelGenerator.builder().name(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> ChatModelGenerator.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("model is required");
    }
}
