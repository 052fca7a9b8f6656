package dev.shepherd.langchain4j;

import static dev.shepherd.langchain4j.ShepherdChatModelIT.LARGE_ANSWER;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.PRICES;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.QUESTION;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.RULE;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.hintOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.Decision;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.langchain4j.testing.Fault;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShepherdStreamingChatModel} with both models streaming over real HTTP: every model's tokens as they
 * arrive, the hint as it is bought, and a model that fails mid-stream continued from what was already sent.
 */
class ShepherdStreamingFailoverIT {

    static final String SMALL_ANSWER = "With the hint the answer is 42";
    static final ShepherdingPolicy LARGE_FULL = ProactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.9, 50)).rule(RULE).build();

    FakeOpenAiServer large;
    FakeOpenAiServer small;
    CostLedger ledger = CostLedger.create();
    final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        large = FakeOpenAiServer.start(req -> LARGE_ANSWER);
        small = FakeOpenAiServer.start(req -> SMALL_ANSWER);
    }

    @AfterEach
    void stop() {
        large.close();
        small.close();
    }

    ShepherdStreamingChatModel.Builder model(ShepherdingPolicy policy) {
        return ShepherdStreamingChatModel.builder().small(Clients.openAiStreaming(small, "slm"))
                .large(Clients.openAiStreaming(large, "llm")).policy(policy).costModel(PRICES).ledger(ledger);
    }

    /** Records partials ("text:...") and thinking ("hint:...") in order, and the outcome. */
    final class Recorder implements StreamingChatResponseHandler {
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partial) {
            events.add("text:" + partial);
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            events.add("hint:" + thinking.text());
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        ChatResponse await() throws Exception {
            return done.get(20, TimeUnit.SECONDS);
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            events.stream().filter(e -> e.startsWith("text:")).forEach(e -> sb.append(e.substring(5)));
            return sb.toString();
        }
    }

    @Test
    void should_stream_the_large_models_full_answer_token_by_token() throws Exception {
        // given
        Recorder handler = new Recorder();
        // when
        model(LARGE_FULL).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then
        assertThat(events).hasSize(12).allSatisfy(e -> assertThat(e).startsWith("text:"));
        assertThat(handler.text()).isEqualTo(LARGE_ANSWER).isEqualTo(response.aiMessage().text());
        assertThat(large.lastRequest().stream()).isTrue();
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).decision()).isEqualTo(Decision.largeFull());
    }

    @Test
    void should_show_a_prompt_hint_as_thinking_while_it_is_bought_then_stream_the_answer() throws Exception {
        // given
        Recorder handler = new Recorder();
        // when
        model(hintOf(3)).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then: three hint tokens first, then the small model's seven answer tokens
        assertThat(events.subList(0, 3)).containsExactly("hint:The", "hint: large", "hint: model");
        assertThat(events.subList(3, events.size())).hasSize(7).allSatisfy(e -> assertThat(e).startsWith("text:"));
        assertThat(handler.text()).isEqualTo(SMALL_ANSWER).isEqualTo(response.aiMessage().text());
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).hintText()).isEqualTo("The large model");
    }

    @Test
    void should_stream_a_continuation_hint_token_by_token_as_the_answers_start() throws Exception {
        // given
        small.responder(req -> " continues to 42");
        Recorder handler = new Recorder();
        // when
        model(hintOf(3)).hintPlacement(HintPlacement.CONTINUATION).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then
        assertThat(events).containsExactly("text:The", "text: large", "text: model", "text: continues", "text: to",
                "text: 42");
        assertThat(response.aiMessage().text()).isEqualTo("The large model continues to 42");
    }

    @Test
    void should_let_the_small_model_continue_a_large_answer_that_fails_mid_stream() throws Exception {
        // given: the large model's stream drops after four tokens
        large.faultNext(Fault.cutStreamAfter(4));
        small.responder(req -> " is 42, says the small model");
        Recorder handler = new Recorder();
        // when
        model(LARGE_FULL).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then: no restart, no error: the small model went on from the four tokens the caller already had
        assertThat(handler.text()).isEqualTo("The large model answer is 42, says the small model")
                .isEqualTo(response.aiMessage().text());
        assertThat(small.lastRequest().lastMessage().role()).isEqualTo("assistant");
        assertThat(small.lastRequest().lastMessage().content()).isEqualTo("The large model answer");
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.notes()).contains("llm-unavailable", "continued-after-failure");
        assertThat(md.degraded()).isTrue();
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.notes()).contains("continued-after-failure");
            assertThat(e.calls()).extracting(c -> c.role() + " " + c.purpose() + " " + c.failed())
                    .containsExactly("LARGE ANSWER true", "SMALL ANSWER false");
        });
    }

    @Test
    void should_let_the_large_model_continue_a_small_answer_that_fails_mid_stream() throws Exception {
        // given: the small model's answer stream drops after three tokens
        small.faultNext(Fault.cutStreamAfter(3));
        large.responder(req -> " the answer is 42");
        Recorder handler = new Recorder();
        // when
        model(ShepherdChatModelIT.hintOf(2)).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then
        assertThat(handler.text()).isEqualTo("With the hint the answer is 42").isEqualTo(response.aiMessage().text());
        assertThat(large.lastRequest().lastMessage()).satisfies(m -> {
            assertThat(m.role()).isEqualTo("assistant");
            assertThat(m.content()).isEqualTo("With the hint");
        });
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.hint(2));
            assertThat(e.notes()).containsExactly("continued-after-failure");
            assertThat(e.calls()).extracting(c -> c.role() + " " + c.purpose() + " " + c.failed())
                    .containsExactly("LARGE HINT false", "SMALL ANSWER true", "LARGE ANSWER false");
            assertThat(e.calls().get(2).costUsd()).isPositive();
        });
    }

    @Test
    void should_let_the_small_model_continue_a_continuation_hint_that_fails_mid_stream() throws Exception {
        // given: the hint stream drops after two of its three tokens
        large.faultNext(Fault.cutStreamAfter(2));
        small.responder(req -> " model says 42");
        Recorder handler = new Recorder();
        // when
        model(hintOf(3)).hintPlacement(HintPlacement.CONTINUATION).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then
        assertThat(handler.text()).isEqualTo("The large model says 42").isEqualTo(response.aiMessage().text());
        assertThat(small.lastRequest().lastMessage().content()).isEqualTo("The large");
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).notes())
                .contains("llm-unavailable", "continued-after-failure");
    }

    @Test
    void should_stream_the_small_fallback_when_the_large_model_fails_before_its_first_token() throws Exception {
        // given
        large.faultNext(Fault.status(500));
        Recorder handler = new Recorder();
        // when
        model(LARGE_FULL).build().chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then: the small model's answer, token by token
        assertThat(events).hasSize(7);
        assertThat(handler.text()).isEqualTo(SMALL_ANSWER).isEqualTo(response.aiMessage().text());
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).notes()).containsExactly("llm-unavailable");
    }

    @Test
    void should_fail_after_the_sent_tokens_in_strict_mode() throws Exception {
        // given
        large.faultNext(Fault.cutStreamAfter(4));
        Recorder handler = new Recorder();
        // when
        model(LARGE_FULL).failureMode(FailureMode.STRICT).build().chat(QUESTION, handler);
        // then
        assertThat(handler.done).failsWithin(20, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.role()).isEqualTo(ModelRole.LARGE));
        assertThat(handler.text()).isEqualTo("The large model answer");
        assertThat(small.requestCount()).isZero();
    }

    @Test
    void should_fail_when_the_small_model_fails_mid_stream_and_the_large_may_not_continue() throws Exception {
        // given
        small.faultNext(Fault.cutStreamAfter(3));
        Recorder handler = new Recorder();
        // when
        model(SmallOnly.create()).largeContinuesSmall(false).build().chat(QUESTION, handler);
        // then
        assertThat(handler.done).failsWithin(20, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.role()).isEqualTo(ModelRole.SMALL));
        assertThat(large.requestCount()).isZero();
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isFalse());
        assertThat(ledger.entries().get(0).calls()).extracting(c -> c.purpose()).containsExactly(CallPurpose.ANSWER);
    }
}
