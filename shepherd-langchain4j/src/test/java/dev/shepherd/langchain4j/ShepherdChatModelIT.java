package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.Decision;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ShepherdChatModel} over real HTTP: a real {@code OllamaChatModel} as the small model and a
 * real {@code OpenAiChatModel} as the large one, against local fake servers.
 */
class ShepherdChatModelIT {

    static final String LARGE_ANSWER = "The large model answer is 42 because six times seven is 42";
    static final String QUESTION = "What is 6 * 7?";
    static final CostModel PRICES = CostModel.localSmall(TokenPrices.perMillion(1.0, 2.0));
    static final HintDecisionRule RULE = new HintDecisionRule(0.5, 10, 100);

    FakeOllamaServer small;
    FakeOpenAiServer large;
    CostLedger ledger;

    @BeforeEach
    void start() {
        small = FakeOllamaServer.builder().knownModels("slm")
                .responder(req -> req.lastUserMessage().contains("Hint:") ? "With the hint: 42" : "Alone I say 41")
                .build();
        large = FakeOpenAiServer.builder().knownModels("llm").responder(req -> LARGE_ANSWER).build();
        ledger = CostLedger.create();
    }

    @AfterEach
    void stop() {
        small.close();
        large.close();
    }

    static ShepherdingPolicy hintOf(int tokens) {
        return ProactiveShepherding.builder().predictor((query, features) -> HintPrediction.of(0.9, tokens)).rule(RULE)
                .build();
    }

    ShepherdChatModel.Builder model(ShepherdingPolicy policy) {
        return ShepherdChatModel.builder()
                .small(Clients.ollama(small, "slm")).large(Clients.openAi(large, "llm"))
                .policy(policy).costModel(PRICES).ledger(ledger);
    }

    @Test
    void should_buy_a_capped_hint_and_let_the_small_model_finish() {
        // given
        ChatModel model = model(hintOf(3)).build();
        // when
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(SystemMessage.from("Be brief."), UserMessage.from(QUESTION)).build());
        // then: the bytes on the wire
        assertThat(large.requestCount()).isEqualTo(1);
        assertThat(large.lastRequest().rawBody()).containsPattern("\"max_tokens\"\\s*:\\s*3\\b");
        assertThat(small.requestCount()).isEqualTo(1);
        assertThat(small.lastRequest().lastUserMessage()).isEqualTo("Question: " + QUESTION + "\nHint: The large model");
        assertThat(small.lastRequest().rawBody()).contains("Hint: The large model");
        assertThat(small.lastRequest().messages().get(0).content()).isEqualTo("Be brief.");
        // and the response
        assertThat(response.aiMessage().text()).isEqualTo("With the hint: 42");
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.decision()).isEqualTo(Decision.hint(3));
        assertThat(md.hintTokens()).isEqualTo(3);
        assertThat(md.hintText()).isEqualTo("The large model");
        assertThat(md.modelName()).isEqualTo("ollama:slm");
        assertThat(md.degraded()).isFalse();
        assertThat(md.largeTokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(md.largeTokenUsage().inputTokenCount()).isEqualTo((int) large.promptTokens());
        assertThat(md.smallTokenUsage().outputTokenCount()).isEqualTo((int) small.completionTokens());
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo((int) (small.promptTokens() + large.promptTokens()));
        assertThat(response.tokenUsage().outputTokenCount())
                .isEqualTo((int) (small.completionTokens() + large.completionTokens()));
        // and the ledger
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.decision()).isEqualTo(Decision.hint(3));
            assertThat(e.hintTokens()).isEqualTo(3);
            assertThat(e.requestId()).isEqualTo(md.id());
            assertThat(e.costUsd()).isEqualTo(md.costUsd()).isPositive();
        });
    }

    @Test
    void should_answer_with_the_large_model_alone_when_the_hint_was_complete() {
        // given: the large answer fits in the hint budget
        large.responder(req -> "42");
        ChatModel model = model(hintOf(3)).build();
        // when
        ChatResponse response = model.chat(UserMessage.from(QUESTION));
        // then
        assertThat(response.aiMessage().text()).isEqualTo("42");
        assertThat(small.requestCount()).isZero();
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.notes()).contains("hint-was-complete");
        assertThat(md.modelName()).isEqualTo("open_ai:llm");
    }

    @Test
    void should_pass_the_callers_cap_and_sampling_to_the_answer_call_only() {
        // given
        ChatModel model = model(hintOf(3)).build();
        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(50).temperature(0.0)
                .stopSequences(List.of("END")).build());
        // then
        assertThat(large.lastRequest().maxTokens()).isEqualTo(3);
        assertThat(small.lastRequest().maxTokens()).isEqualTo(50);
        assertThat(small.lastRequest().temperature()).isEqualTo(0.0);
        assertThat(small.lastRequest().stop()).containsExactly("END");
        assertThat(large.lastRequest().stop()).isEmpty();
    }

    static Stream<Arguments> largeModelFaults() {
        return Stream.of(
                Arguments.of(Fault.status(500), "server error"),
                Arguments.of(Fault.rateLimited(30), "rate limited"),
                Arguments.of(Fault.malformedJson(), "malformed response"),
                Arguments.of(Fault.connectionReset(), "connection failed"));
    }

    @ParameterizedTest
    @MethodSource("largeModelFaults")
    void should_fall_back_to_the_small_model_and_flag_it_when_the_large_model_fails(Fault fault, String described) {
        // given
        large.fault(fault);
        ChatModel model = model(hintOf(3)).build();
        // when
        ChatResponse response = model.chat(UserMessage.from(QUESTION));
        // then
        assertThat(response.aiMessage().text()).isEqualTo("Alone I say 41");
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        assertThat(md.degraded()).isTrue();
        assertThat(md.decision()).isEqualTo(Decision.smallOnly());
        assertThat(md.calls().get(0).error()).contains(described).contains("open_ai:llm");
        // the decorator never retries (the client is set to maxRetries(0))
        assertThat(large.requestCount()).isEqualTo(1);
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        });
    }

    @ParameterizedTest
    @MethodSource("largeModelFaults")
    void should_throw_a_typed_exception_in_strict_mode_when_the_large_model_fails(Fault fault, String described) {
        // given
        large.fault(fault);
        ChatModel model = model(hintOf(3)).failureMode(FailureMode.STRICT).build();
        // when / then
        assertThatThrownBy(() -> model.chat(UserMessage.from(QUESTION)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.role()).isEqualTo(ModelRole.LARGE);
                    assertThat(e.model()).isEqualTo("open_ai:llm");
                })
                .hasMessageContaining(described);
        assertThat(large.requestCount()).isEqualTo(1);
        assertThat(small.requestCount()).isZero();
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isFalse());
    }

    @Test
    void should_make_no_large_model_call_once_the_spend_cap_is_reached() {
        // given: a cap below the worst case of one hint
        ChatModel model = model(hintOf(3)).spendCap(SpendCap.of(1e-9, Duration.ofHours(1))).build();
        // when
        ChatResponse response = model.chat(UserMessage.from(QUESTION));
        // then
        assertThat(large.requestCount()).isZero();
        assertThat(response.aiMessage().text()).isEqualTo("Alone I say 41");
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).notes()).contains(ShepherdResult.NOTE_SPEND_CAP);
    }

    @Test
    void should_throw_when_the_spend_cap_is_reached_in_strict_mode() {
        // given
        ChatModel model = model(hintOf(3)).spendCap(SpendCap.of(1e-9, Duration.ofHours(1)))
                .failureMode(FailureMode.STRICT).build();
        // when / then
        assertThatThrownBy(() -> model.chat(UserMessage.from(QUESTION)))
                .isInstanceOf(SpendLimitExceededException.class).hasMessageContaining("spend cap");
        assertThat(large.requestCount()).isZero();
    }

    @Test
    void should_fall_back_when_the_large_client_times_out() {
        // given: the large server is slower than its client's timeout
        large.fault(Fault.delay(Duration.ofSeconds(3)));
        ChatModel openAi = dev.langchain4j.model.openai.OpenAiChatModel.builder().baseUrl(large.baseUrl())
                .apiKey("k").modelName("llm").maxRetries(0).timeout(Duration.ofMillis(300)).build();
        ChatModel model = model(hintOf(3)).large(openAi).build();
        // when
        ChatResponse response = model.chat(UserMessage.from(QUESTION));
        // then
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        assertThat(md.calls().get(0).error()).contains("timed out");
        assertThat(response.aiMessage().text()).isEqualTo("Alone I say 41");
    }

    @Test
    void should_start_no_large_model_call_after_the_request_deadline() {
        // given: the predictor alone outlasts the deadline
        HintPredictor slow = (query, features) -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HintPrediction.of(0.9, 3);
        };
        ChatModel model = model(ProactiveShepherding.builder().predictor(slow).rule(RULE)
                .build()).requestTimeout(Duration.ofMillis(20)).build();
        // when
        ChatResponse response = model.chat(UserMessage.from(QUESTION));
        // then
        assertThat(large.requestCount()).isZero();
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        assertThat(md.calls().get(0).error()).contains("deadline");
    }

    @Test
    void should_name_the_model_when_the_live_server_does_not_know_it() {
        // given
        ChatModel wrongLarge = model(hintOf(3)).large(Clients.openAi(large, "gpt-typo")).failureMode(FailureMode.STRICT)
                .build();
        ChatModel wrongSmall = model(hintOf(3)).small(Clients.ollama(small, "slm-typo")).build();
        // when / then
        assertThatThrownBy(() -> wrongLarge.chat(UserMessage.from(QUESTION)))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("open_ai:gpt-typo").hasMessageContaining("model not found");
        assertThatThrownBy(() -> wrongSmall.chat(UserMessage.from(QUESTION)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.role()).isEqualTo(ModelRole.SMALL))
                .hasMessageContaining("ollama:slm-typo").hasMessageContaining("model not found");
    }

    @Test
    void should_fail_clearly_when_the_small_model_returns_empty_text() {
        // given
        small.responder(req -> "");
        ChatModel model = model(hintOf(3)).build();
        // when / then
        assertThatThrownBy(() -> model.chat(UserMessage.from(QUESTION)))
                .isInstanceOf(ModelCallException.class)
                .hasMessageContaining("ollama:slm").hasMessageContaining("empty text");
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isFalse();
            assertThat(e.error()).contains("empty text");
        });
    }

    @Test
    void should_reject_a_cap_smaller_than_the_hint_before_buying_it() {
        // given
        ChatModel model = model(hintOf(8)).build();
        // when / then
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION))
                .maxOutputTokens(5).build()))
                .isInstanceOf(InvalidChatRequestException.class)
                .hasMessageContaining("maxOutputTokens (5)").hasMessageContaining("8-token hint");
        assertThat(large.requestCount()).isZero();
        assertThat(small.requestCount()).isZero();
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isFalse();
            assertThat(e.calls()).isEmpty();
        });
    }

    @Test
    void should_reject_a_request_without_a_user_message_before_any_call() {
        // given
        ChatModel model = model(hintOf(3)).build();
        // when / then
        assertThatThrownBy(() -> model.chat(SystemMessage.from("Be brief.")))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("must contain a UserMessage");
        assertThatThrownBy(() -> model.chat(UserMessage.from(QUESTION), AiMessage.from("prefill")))
                .isInstanceOf(InvalidChatRequestException.class).hasMessageContaining("followed by [AI]");
        assertThat(small.requestCount() + large.requestCount()).isZero();
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void should_record_one_ledger_entry_per_request() {
        // given
        ChatModel model = model(hintOf(3)).build();
        // when
        for (int i = 0; i < 3; i++) {
            model.chat("question " + i);
        }
        // then
        List<LedgerEntry> entries = ledger.entries();
        assertThat(entries).hasSize(3).allSatisfy(e -> assertThat(e.policy()).isEqualTo("proactive-shepherding"));
        assertThat(ledger.totals().hintTokens()).isEqualTo(9);
        assertThat(ledger.totals().largeOutputTokens()).isEqualTo(large.completionTokens());
        assertThat(ledger.totals().smallInputTokens()).isEqualTo(small.promptTokens());
    }
}
