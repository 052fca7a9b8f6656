package dev.shepherd.langchain4j;

import static dev.shepherd.langchain4j.ShepherdChatModelIT.LARGE_ANSWER;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.PRICES;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.QUESTION;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.RULE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.AgreementCascade;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reactive shepherding with and without log-probabilities, continuation hints and listeners, over real HTTP. */
class ShepherdChatModelModesIT {

    FakeOpenAiServer large;
    AtomicInteger samples = new AtomicInteger();
    AtomicReference<Features> seen = new AtomicReference<>();

    /** Samples that all differ ("sample answer 1", "... 2", ...), and a fixed answer once a hint is given. */
    String smallAnswer(String userMessage) {
        return userMessage.contains("Hint:") ? "With the hint: 42" : "sample answer " + samples.incrementAndGet();
    }

    HintPredictor recordingPredictor(int hintTokens) {
        return new HintPredictor() {
            @Override
            public HintPrediction predict(dev.shepherd.core.Query query, Features features) {
                seen.set(features);
                return HintPrediction.of(0.9, hintTokens);
            }

            @Override
            public java.util.Set<String> requiredFeatures() {
                return java.util.Set.of(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);
            }
        };
    }

    @BeforeEach
    void start() {
        large = FakeOpenAiServer.start(req -> LARGE_ANSWER);
    }

    @AfterEach
    void stop() {
        large.close();
    }

    @Test
    void should_use_token_entropy_from_logprobs_when_the_small_model_returns_them() {
        try (FakeOpenAiServer small = FakeOpenAiServer.start(req -> smallAnswer(req.lastUserMessage()))) {
            // given: an OpenAI-compatible small model (vLLM, llama.cpp server) with log-probabilities on
            CostLedger ledger = CostLedger.create();
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.openAiWithLogprobs(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(ReactiveShepherding.builder().predictor(recordingPredictor(2)).rule(RULE).build())
                    .costModel(PRICES).ledger(ledger).build();
            // when
            ChatResponse response = model.chat(UserMessage.from(QUESTION));
            // then: 3 samples asked for log-probabilities, they disagreed, the hint was bought
            assertThat(small.requests()).hasSize(4);
            assertThat(small.requests().subList(0, 3)).allSatisfy(r -> {
                assertThat(r.logprobs()).isTrue();
                assertThat(r.rawBody()).containsPattern("\"top_logprobs\"\\s*:\\s*3");
            });
            assertThat(large.lastRequest().maxTokens()).isEqualTo(2);
            assertThat(response.aiMessage().text()).isEqualTo("With the hint: 42");
            ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
            assertThat(md.decision()).isEqualTo(Decision.hint(2));
            assertThat(md.notes()).contains("disagreed 1/3").doesNotContain("entropy-from-answers");
            assertThat(md.calls()).extracting(c -> c.purpose())
                    .containsExactly(CallPurpose.SAMPLE, CallPurpose.SAMPLE, CallPurpose.SAMPLE, CallPurpose.HINT,
                            CallPurpose.ANSWER);
            // the entropy feature came from the top log-probabilities, not from the answers (that would be ln 3)
            double entropy = seen.get().get(Features.MEAN_ENTROPY).orElseThrow();
            assertThat(entropy).isPositive().isLessThan(Math.log(3)).isNotCloseTo(Math.log(3), within(1e-3));
            assertThat(seen.get().get(Features.MEAN_OUTPUT_LENGTH)).hasValue(3.0);
            assertThat(response.tokenUsage().outputTokenCount())
                    .isEqualTo((int) (small.completionTokens() + large.completionTokens()));
            assertThat(ledger.entries()).hasSize(1);
        }
    }

    @Test
    void should_fall_back_to_answer_entropy_with_a_notice_when_the_small_model_has_no_logprobs() {
        try (FakeOllamaServer small = FakeOllamaServer.start(req -> smallAnswer(req.lastUserMessage()))) {
            // given: Ollama returns no log-probabilities
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.ollama(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(ReactiveShepherding.builder().predictor(recordingPredictor(2)).rule(RULE).build())
                    .costModel(PRICES).build();
            // when
            ChatResponse response = model.chat(UserMessage.from(QUESTION));
            // then: three distinct answers have entropy ln 3
            ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
            assertThat(md.notes()).contains("entropy-from-answers");
            assertThat(seen.get().get(Features.MEAN_ENTROPY).orElseThrow()).isCloseTo(Math.log(3), within(1e-9));
            assertThat(small.requestCount()).isEqualTo(4);
            assertThat(response.aiMessage().text()).isEqualTo("With the hint: 42");
        }
    }

    @Test
    void should_return_the_agreed_sample_without_calling_the_large_model() {
        try (FakeOllamaServer small = FakeOllamaServer.start(req -> "always 42")) {
            // given
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.ollama(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(ReactiveShepherding.builder().predictor(recordingPredictor(2)).rule(RULE).build())
                    .costModel(PRICES).build();
            // when
            ChatResponse response = model.chat(UserMessage.from(QUESTION));
            // then
            assertThat(response.aiMessage().text()).isEqualTo("always 42");
            assertThat(((ShepherdChatResponseMetadata) response.metadata()).notes()).contains("agreed 3/3");
            assertThat(large.requestCount()).isZero();
            assertThat(seen.get()).isNull();
        }
    }

    @Test
    void should_prefill_the_hint_as_the_assistant_message_with_continuation_placement() {
        try (FakeOpenAiServer small = FakeOpenAiServer.start(req ->
                req.lastMessage().role().equals("assistant") ? " continues: 42" : "no hint seen")) {
            // given
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.openAi(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(ProactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.9, 3)).rule(RULE)
                            .build())
                    .hintPlacement(HintPlacement.CONTINUATION)
                    .costModel(PRICES).build();
            // when
            ChatResponse response = model.chat(UserMessage.from(QUESTION));
            // then: the hint went over the wire as the assistant's started answer, not as a Hint: line
            assertThat(small.lastRequest().lastMessage().role()).isEqualTo("assistant");
            assertThat(small.lastRequest().lastMessage().content()).isEqualTo("The large model");
            assertThat(small.lastRequest().lastUserMessage()).isEqualTo(QUESTION).doesNotContain("Hint:");
            assertThat(response.aiMessage().text()).isEqualTo("The large model continues: 42");
        }
    }

    @Test
    void should_notify_its_own_listeners_through_chat() {
        try (FakeOllamaServer small = FakeOllamaServer.start(req -> "fine")) {
            // given
            List<String> events = new CopyOnWriteArrayList<>();
            ChatModelListener listener = new ChatModelListener() {
                @Override
                public void onRequest(ChatModelRequestContext ctx) {
                    events.add("request:" + ctx.chatRequest().messages().size());
                }

                @Override
                public void onResponse(ChatModelResponseContext ctx) {
                    events.add("response:" + ctx.chatResponse().aiMessage().text());
                }

                @Override
                public void onError(ChatModelErrorContext ctx) {
                    events.add("error:" + ctx.error().getClass().getSimpleName());
                }
            };
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.ollama(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(ProactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.0, 0)).rule(RULE)
                            .build())
                    .costModel(PRICES).listeners(List.of(listener)).build();
            // when
            model.chat(UserMessage.from(QUESTION));
            small.responder(req -> "");
            assertThatThrownBy(() -> model.chat(UserMessage.from(QUESTION))).isInstanceOf(RuntimeException.class);
            // then
            assertThat(events).containsExactly("request:1", "response:fine", "request:1", "error:ModelCallException");
        }
    }

    @Test
    void should_keep_the_fallback_the_policy_offered_when_the_large_model_fails() {
        try (FakeOllamaServer small = FakeOllamaServer.start(req -> smallAnswer(req.lastUserMessage()))) {
            // given: disagreeing samples send the agreement cascade to the large model, which is down
            large.fault(Fault.status(503));
            ChatModel model = ShepherdChatModel.builder()
                    .small(Clients.ollama(small, "slm")).large(Clients.openAi(large, "llm"))
                    .policy(AgreementCascade.builder().samples(3).agreement(2).build()).costModel(PRICES).build();
            // when
            ChatResponse response = model.chat(UserMessage.from(QUESTION));
            // then: the sample the policy offered is the answer, and the small model was not asked again
            assertThat(response.aiMessage().text()).isEqualTo("sample answer 1");
            assertThat(small.requestCount()).isEqualTo(3);
            assertThat(large.requestCount()).isEqualTo(1);
            assertThat(((ShepherdChatResponseMetadata) response.metadata()).notes())
                    .contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        }
    }
}
