package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
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
import dev.shepherd.core.cost.CostLedger;
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
        // when / then
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).modelName("gpt")
                .build()))
                .isInstanceOf(InvalidChatRequestException.class).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("modelName").hasMessageContaining("gpt");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).topK(5).build()))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("topK").hasMessageContaining("5");
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

    @Test
    void should_route_requests_it_cannot_shepherd_unchanged_to_the_large_model_with_a_ledger_entry() {
        // given
        CostLedger ledger = CostLedger.create();
        ShepherdChatModel model = builder().ledger(ledger).build();
        ToolSpecification tool = ToolSpecification.builder().name("calc").build();
        ChatResponse toolCall = ChatResponse.builder()
                .aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("1").name("calc").arguments("{}").build()))
                .metadata(ChatResponseMetadata.builder().tokenUsage(new TokenUsage(7, 3))
                        .finishReason(dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION).build()).build();
        when(large.chat(any(ChatRequest.class))).thenReturn(toolCall, answer("{\"a\":1}"), answer("an image"));
        ChatRequest withTool = ChatRequest.builder().messages(UserMessage.from("q")).toolSpecifications(tool).build();

        // when
        ChatResponse r1 = model.chat(withTool);
        ChatResponse r2 = model.chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .responseFormat(ResponseFormat.JSON).build());
        ChatResponse r3 = model.chat(UserMessage.from(TextContent.from("q"), ImageContent.from("http://x/y.png")));

        // then: the same request reached the large model (plus the executor's output cap), tool calls came back
        verify(large).chat(org.mockito.ArgumentMatchers.argThat((ChatRequest r) ->
                r.messages().equals(withTool.messages()) && r.toolSpecifications().equals(List.of(tool))
                        && r.maxOutputTokens() == 4096));
        assertThat(r1.aiMessage().toolExecutionRequests()).hasSize(1);
        assertThat(r1.finishReason()).isEqualTo(dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION);
        assertThat(((ShepherdChatResponseMetadata) r1.metadata()).notes())
                .containsExactly("routed-unchanged: tool specifications", "tier large");
        assertThat(r2.aiMessage().text()).isEqualTo("{\"a\":1}");
        assertThat(((ShepherdChatResponseMetadata) r3.metadata()).notes()).contains("routed-unchanged: non-text content");
        assertThat(ledger.entries()).hasSize(3).allMatch(e -> e.policy().equals("routed-unchanged"))
                .allMatch(e -> e.answeredBy().tier().equals("large"));
        assertThat(ledger.entries().get(0).costUsd()).isEqualTo(TokenPrices.perMillion(1, 1).cost(7, 3));
        verify(small, never()).chat(any(ChatRequest.class));
    }

    @Test
    void should_route_to_the_configured_tier_and_check_its_name() {
        // given
        when(small.chat(any(ChatRequest.class))).thenReturn(answer("small json"));
        ShepherdChatModel model = builder().routeUnsupportedTo("small").build();

        // when
        ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .responseFormat(ResponseFormat.JSON).build());

        // then
        assertThat(r.aiMessage().text()).isEqualTo("small json");
        assertThat(((ShepherdChatResponseMetadata) r.metadata()).decision()).isEqualTo(dev.shepherd.core.Decision.smallOnly());
        assertThatThrownBy(() -> builder().routeUnsupportedTo("medium").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'medium'");
    }

    @Test
    void should_refuse_a_ladder_mixed_with_small_large_or_a_cost_model() {
        ChatModelTier a = ChatModelTier.of("a", small, TokenPrices.free());
        ChatModelTier b = ChatModelTier.of("b", large, TokenPrices.perMillion(1, 2));
        assertThatThrownBy(() -> ShepherdChatModel.builder().tiers(a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> ShepherdChatModel.builder().tiers(a, b).small(small).policy(SmallOnly.create()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> ShepherdChatModel.builder().tiers(a, b).policy(SmallOnly.create())
                .costModel(CostModel.localSmall(TokenPrices.perMillion(1, 1))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("costModel");
        assertThat(ShepherdChatModel.builder().tiers(a, b).policy(SmallOnly.create()).build().tiers().top().name())
                .isEqualTo("b");
    }

    @Test
    void should_not_start_a_middle_tier_call_after_the_request_deadline() {
        // given: the bottom's two samples disagree slowly, past the deadline
        ChatModel mid = mock(ChatModel.class);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        when(small.chat(any(ChatRequest.class))).thenAnswer(inv -> {
            Thread.sleep(30);
            return answer("#### " + n.incrementAndGet());
        });
        ShepherdChatModel model = ShepherdChatModel.builder()
                .tiers(ChatModelTier.of("local", small, TokenPrices.free()),
                        ChatModelTier.of("mid", mid, TokenPrices.perMillion(1, 1)),
                        ChatModelTier.of("top", large, TokenPrices.perMillion(5, 5)))
                .policy(dev.shepherd.core.policy.TierCascade.builder().samples(2).agreement(2).build())
                .extractor(dev.shepherd.core.answer.AnswerExtractor.math())
                .requestTimeout(Duration.ofMillis(10)).build();

        // when
        ChatResponse r = model.chat(UserMessage.from("q"));

        // then: the middle tier was refused before its call, and the bottom's answer came back flagged
        verify(mid, never()).chat(any(ChatRequest.class));
        verify(large, never()).chat(any(ChatRequest.class));
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) r.metadata();
        assertThat(md.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        assertThat(md.answeredByTier()).isEqualTo("local");
        assertThat(md.calls()).filteredOn(c -> c.tier().equals("mid")).singleElement()
                .satisfies(c -> assertThat(c.error()).contains("deadline"));
    }
}
