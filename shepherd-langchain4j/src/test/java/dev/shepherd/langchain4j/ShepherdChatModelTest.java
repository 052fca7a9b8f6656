package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.InvalidQueryException;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.run.ShepherdResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of the decorator's wiring with mocked inner models (the real-HTTP tests are the *IT classes). */
class ShepherdChatModelTest {

    private final ChatModel small = mock(ChatModel.class);
    private final ChatModel large = mock(ChatModel.class);

    private ShepherdChatModel.Builder builder() {
        return ShepherdChatModel.builder().small(small).large(large).smallName("s").largeName("l")
                .policy(ProactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.9, 3))
                        .rule(new HintDecisionRule(0.5, 10, 100)).build())
                .costModel(CostModel.localSmall(TokenPrices.perMillion(1, 1)));
    }

    private static ChatResponse answer(String text) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text))
                .metadata(ChatResponseMetadata.builder().tokenUsage(new TokenUsage(5, 2))
                        .finishReason(dev.langchain4j.model.output.FinishReason.STOP).build()).build();
    }

    @Test
    void should_require_small_large_policy_and_cost_model() {
        assertThatThrownBy(() -> ShepherdChatModel.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("small model is required");
        assertThatThrownBy(() -> ShepherdChatModel.builder().small(small).build())
                .hasMessageContaining("large model is required");
        assertThatThrownBy(() -> ShepherdChatModel.builder().small(small).large(large).build())
                .hasMessageContaining("policy is required");
        assertThatThrownBy(() -> ShepherdChatModel.builder().small(small).large(large).policy(SmallOnly.create())
                .build())
                .hasMessageContaining("costModel is required");
        assertThatThrownBy(() -> builder().requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestTimeout must be positive but was PT0S");
        assertThatThrownBy(() -> builder().largeName("")).hasMessageContaining("largeName");
    }

    @Test
    void should_declare_provider_capabilities_and_defaults() {
        // given
        ChatRequestParameters defaults = ChatRequestParameters.builder().maxOutputTokens(99).build();
        ShepherdChatModel model = builder().defaultRequestParameters(defaults).build();
        // then
        assertThat(model.provider()).isEqualTo(ModelProvider.OTHER);
        assertThat(model.supportedCapabilities()).isEmpty();
        assertThat(model.defaultRequestParameters()).isSameAs(defaults);
        assertThat(model.smallName()).isEqualTo("s");
        assertThat(model.largeName()).isEqualTo("l");
    }

    @Test
    void should_merge_default_request_parameters_into_the_answer_call() {
        // given
        when(small.chat(any(ChatRequest.class))).thenReturn(answer("ok"));
        ShepherdChatModel model = builder().policy(SmallOnly.create())
                .defaultRequestParameters(ChatRequestParameters.builder().maxOutputTokens(99).build()).build();
        // when
        model.chat("hi");
        // then
        verify(small).chat(org.mockito.ArgumentMatchers.argThat((ChatRequest r) -> r.maxOutputTokens() == 99));
    }

    @Test
    void should_call_a_failing_large_model_once_and_fall_back() {
        // given
        when(large.chat(any(ChatRequest.class))).thenThrow(new RateLimitException("429"));
        when(small.chat(any(ChatRequest.class))).thenReturn(answer("small says"));
        // when
        ChatResponse r = builder().build().chat(UserMessage.from("hi"));
        // then: the decorator itself never retries
        verify(large, times(1)).chat(any(ChatRequest.class));
        assertThat(r.aiMessage().text()).isEqualTo("small says");
        assertThat(((ShepherdChatResponseMetadata) r.metadata()).notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
    }

    @Test
    void should_reject_requests_it_cannot_shepherd_naming_the_field() {
        // given
        ShepherdChatModel model = builder().build();
        ToolSpecification tool = ToolSpecification.builder().name("calc").build();
        // when / then
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).modelName("gpt")
                .build()))
                .isInstanceOf(InvalidChatRequestException.class).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("modelName").hasMessageContaining("gpt");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .toolSpecifications(tool).build()))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("toolSpecifications");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .responseFormat(ResponseFormat.JSON).build()))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("responseFormat must be TEXT but was JSON");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).topK(5).build()))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("topK").hasMessageContaining("5");
        assertThatThrownBy(() -> model.chat(UserMessage.from(TextContent.from("q"), ImageContent.from("http://x/y.png"))))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("messages[0] must hold text only");
        assertThatThrownBy(() -> model.chat(ToolExecutionResultMessage.from("id", "calc", "4"), UserMessage.from("q")))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("messages[0]")
                .hasMessageContaining("TOOL_EXECUTION_RESULT");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).topP(1.5).build()))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("topP must be in (0, 1] but was 1.5");
        assertThatThrownBy(() -> model.chat(UserMessage.from("   ")))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("query.text");
        assertThatThrownBy(() -> model.doChat(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("chatRequest");
        verify(small, never()).chat(any(ChatRequest.class));
        verify(large, never()).chat(any(ChatRequest.class));
    }

    @Test
    void should_send_earlier_messages_as_context_before_the_question() {
        // given
        when(small.chat(any(ChatRequest.class))).thenReturn(answer("ok"));
        ShepherdChatModel model = builder().policy(SmallOnly.create()).build();
        // when
        model.chat(SystemMessage.from("sys"), UserMessage.from("first"), AiMessage.from("reply"), UserMessage.from("second"));
        // then
        verify(small).chat(org.mockito.ArgumentMatchers.argThat((ChatRequest r) -> r.messages().equals(List.of(
                SystemMessage.from("sys"), UserMessage.from("first"), AiMessage.from("reply"), UserMessage.from("second")))));
    }
}
