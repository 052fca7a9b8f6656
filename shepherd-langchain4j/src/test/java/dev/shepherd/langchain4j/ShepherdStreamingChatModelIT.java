package dev.shepherd.langchain4j;

import static dev.shepherd.langchain4j.ShepherdChatModelIT.LARGE_ANSWER;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.PRICES;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.QUESTION;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.RULE;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.hintOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.Decision;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallInitiatedHelp;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ShepherdStreamingChatModel} with real streaming clients over real HTTP. */
class ShepherdStreamingChatModelIT {

    static final String SMALL_ANSWER = "With the hint the answer is 42";

    final List<String> events = new CopyOnWriteArrayList<>();
    FakeOpenAiServer large;
    FakeOllamaServer small;
    CostLedger ledger = CostLedger.create();

    @BeforeEach
    void start() {
        large = FakeOpenAiServer.start(req -> {
            events.add("large-call");
            return LARGE_ANSWER;
        });
        small = FakeOllamaServer.start(req -> {
            events.add("small-call");
            return SMALL_ANSWER;
        });
    }

    @AfterEach
    void stop() {
        large.close();
        small.close();
    }

    ShepherdStreamingChatModel.Builder model(StreamingChatModel smallModel, ShepherdingPolicy policy) {
        return ShepherdStreamingChatModel.builder().small(smallModel).large(Clients.openAi(large, "llm"))
                .policy(policy).costModel(PRICES).ledger(ledger);
    }

    /** Collects partials (recording the first in {@link #events}) and the outcome. */
    final class Collector implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partial) {
            if (partials.isEmpty()) {
                events.add("first-partial");
            }
            partials.add(partial);
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
    }

    @Test
    void should_buy_the_hint_before_the_first_token_and_stream_the_small_models_answer() throws Exception {
        // given
        StreamingChatModel model = model(Clients.ollamaStreaming(small, "slm"), hintOf(3)).build();
        Collector handler = new Collector();
        // when
        model.chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then: token by token, after the hint
        assertThat(handler.partials).hasSize(7);
        assertThat(String.join("", handler.partials)).isEqualTo(SMALL_ANSWER);
        assertThat(response.aiMessage().text()).isEqualTo(SMALL_ANSWER);
        assertThat(events).containsExactly("large-call", "small-call", "first-partial");
        assertThat(small.lastRequest().stream()).isTrue();
        assertThat(small.lastRequest().lastUserMessage()).endsWith("Hint: The large model");
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.decision()).isEqualTo(Decision.hint(3));
        assertThat(md.modelName()).isEqualTo("ollama:slm");
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3 + 7);
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.decision()).isEqualTo(Decision.hint(3));
        });
    }

    @Test
    void should_draw_all_samples_before_the_first_token_and_stream_only_the_final_answer() throws Exception {
        // given: three different samples, then the answer after a hint
        AtomicInteger n = new AtomicInteger();
        try (FakeOpenAiServer openAiSmall = FakeOpenAiServer.start(req -> {
            events.add("small-call");
            return req.lastUserMessage().contains("Hint:") ? SMALL_ANSWER : "sample " + n.incrementAndGet();
        })) {
            StreamingChatModel model = model(Clients.openAiStreaming(openAiSmall, "slm"),
                    ReactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.9, 2)).rule(RULE).build())
                    .build();
            Collector handler = new Collector();
            // when
            model.chat(QUESTION, handler);
            ChatResponse response = handler.await();
            // then
            assertThat(events).containsExactly("small-call", "small-call", "small-call", "large-call", "small-call",
                    "first-partial");
            assertThat(String.join("", handler.partials)).isEqualTo(SMALL_ANSWER).doesNotContain("sample");
            assertThat(response.aiMessage().text()).isEqualTo(SMALL_ANSWER);
            assertThat(openAiSmall.requests()).hasSize(4).allSatisfy(r -> assertThat(r.stream()).isTrue());
        }
    }

    @Test
    void should_deliver_the_large_models_full_answer_in_one_partial() throws Exception {
        // given: a predicted hint above η_hint means the large model answers
        StreamingChatModel model = model(Clients.ollamaStreaming(small, "slm"),
                ProactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.9, 50)).rule(RULE)
                        .build()).build();
        Collector handler = new Collector();
        // when
        model.chat(QUESTION, handler);
        ChatResponse response = handler.await();
        // then
        assertThat(handler.partials).containsExactly(LARGE_ANSWER);
        assertThat(response.aiMessage().text()).isEqualTo(LARGE_ANSWER);
        assertThat(small.requestCount()).isZero();
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).decision()).isEqualTo(Decision.largeFull());
    }

    @Test
    void should_stream_the_hint_first_with_continuation_placement() throws Exception {
        // given
        try (FakeOpenAiServer openAiSmall = FakeOpenAiServer.start(req -> " continues to 42")) {
            StreamingChatModel model = model(Clients.openAiStreaming(openAiSmall, "slm"), hintOf(3))
                    .hintPlacement(HintPlacement.CONTINUATION).build();
            Collector handler = new Collector();
            // when
            model.chat(QUESTION, handler);
            ChatResponse response = handler.await();
            // then
            assertThat(handler.partials).containsExactly("The large model", " continues", " to", " 42");
            assertThat(response.aiMessage().text()).isEqualTo("The large model continues to 42");
            assertThat(openAiSmall.lastRequest().lastMessage().role()).isEqualTo("assistant");
        }
    }

    @Test
    void should_report_a_failing_small_model_to_on_error_and_the_ledger() throws Exception {
        // given
        small.responder(req -> "");
        StreamingChatModel model = model(Clients.ollamaStreaming(small, "slm"), hintOf(3)).build();
        Collector handler = new Collector();
        // when
        model.chat(QUESTION, handler);
        // then
        assertThat(handler.done).failsWithin(20, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOf(ModelCallException.class).withMessageContaining("empty text");
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isFalse());
    }

    @Test
    void should_return_at_once_and_run_on_the_given_executor() throws Exception {
        // given
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "shepherd-stream"));
        try {
            StreamingChatModel model = model(Clients.ollamaStreaming(small, "slm"), hintOf(3)).executor(executor).build();
            List<String> threads = new CopyOnWriteArrayList<>();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            // when
            model.chat(QUESTION, new StreamingChatResponseHandler() {
                @Override
                public void onCompleteResponse(ChatResponse response) {
                    threads.add(Thread.currentThread().getName());
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            // then
            assertThat(done.get(20, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(SMALL_ANSWER);
            assertThat(threads).containsExactly("shepherd-stream");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void should_deliver_an_answer_stitched_from_several_calls_in_one_partial() throws Exception {
        // given: the small model asks for help; the large model's continuation finishes the answer
        large.responder(req -> "six times seven");
        try (FakeOpenAiServer openAiSmall = FakeOpenAiServer.start(req -> "Let me see [HELP] never shown")) {
            StreamingChatModel model = model(Clients.openAiStreaming(openAiSmall, "slm"), SmallInitiatedHelp.builder()
                    .build())
                    .build();
            Collector handler = new Collector();
            // when
            model.chat(QUESTION, handler);
            ChatResponse response = handler.await();
            // then: no marker and no half-answer reached the caller
            assertThat(handler.partials).containsExactly("Let me see six times seven");
            assertThat(response.aiMessage().text()).isEqualTo("Let me see six times seven");
            assertThat(large.lastRequest().lastMessage().content()).isEqualTo("Let me see ");
        }
    }
}
