package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.Decision;
import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.run.RetryPolicy;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.run.SmallFailureMode;
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
 * Model faults over real HTTP: the real OpenAI and Ollama clients against the fake servers, their
 * failures classified for the executor's retry policy, a 429 with {@code Retry-After} waited for and
 * retried, and a failing small model answered by the large one.
 */
class ModelFaultsIT {

    private static final CostModel PRICES = CostModel.localSmall(TokenPrices.perMillion(1.0, 2.0));
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofSeconds(3)).jitter(0).build();

    FakeOllamaServer small;
    FakeOpenAiServer large;
    CostLedger ledger;

    @BeforeEach
    void start() {
        small = FakeOllamaServer.builder().knownModels("slm").responder(req -> "the small answer is 41").build();
        large = FakeOpenAiServer.builder().knownModels("llm").responder(req -> "the large answer is 42").build();
        ledger = CostLedger.create();
    }

    @AfterEach
    void stop() {
        small.close();
        large.close();
    }

    private OpenAiChatModel openAi(Duration timeout) {
        return OpenAiChatModel.builder().httpClientBuilder(RetryAfterHeaders.httpClientBuilder())
                .baseUrl(large.baseUrl()).apiKey("test-key").modelName("llm").maxRetries(0).timeout(timeout).build();
    }

    private OllamaChatModel ollama(Duration timeout) {
        return OllamaChatModel.builder().httpClientBuilder(RetryAfterHeaders.httpClientBuilder())
                .baseUrl(small.baseUrl()).modelName("slm").maxRetries(0).timeout(timeout).build();
    }

    private ShepherdChatModel.Builder model(ShepherdingPolicy policy) {
        return ShepherdChatModel.builder().small(ollama(CLIENT_TIMEOUT)).large(openAi(CLIENT_TIMEOUT))
                .smallName("slm").largeName("llm").policy(policy).costModel(PRICES).ledger(ledger);
    }

    @Test
    void should_wait_for_retry_after_and_answer_when_a_429_is_followed_by_success() {
        // given: the large model's next response is a 429 asking for one second
        large.faultNext(Fault.rateLimited(1));
        ChatModel model = model(LargeOnly.create()).retryPolicy(RETRY).requestTimeout(Duration.ofSeconds(20)).build();
        // when
        long t0 = System.nanoTime();
        ChatResponse response = model.chat(UserMessage.from("What is 6 * 7?"));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // then
        assertThat(response.aiMessage().text()).isEqualTo("the large answer is 42");
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.decision()).isEqualTo(Decision.largeFull());
        assertThat(md.notes()).containsExactly(ShepherdResult.NOTE_RETRIED);
        assertThat(large.requestCount()).isEqualTo(2);
        assertThat(tookMillis).isGreaterThanOrEqualTo(1_000);
        // one ledger entry, both attempts in it: the refused one free, the answered one billed
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.calls()).extracting(CallRecord::failed).containsExactly(true, false);
            assertThat(e.calls().get(0).error()).contains("rate limited (HTTP 429)");
            assertThat(e.calls().get(0).costUsd()).isZero();
            assertThat(e.calls().get(1).outputTokens()).isPositive();
        });
    }

    @Test
    void should_not_wait_for_a_retry_after_beyond_the_policy_maximum() {
        // given
        large.faultNext(Fault.rateLimited(30));
        ChatModel model = model(LargeOnly.create()).retryPolicy(RETRY).build();
        // when
        long t0 = System.nanoTime();
        ChatResponse response = model.chat(UserMessage.from("What is 6 * 7?"));
        // then: no retry; the large model counts as unavailable and the small model answers
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(large.requestCount()).isEqualTo(1);
        assertThat(((ShepherdChatResponseMetadata) response.metadata()).notes())
                .containsExactly(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        assertThat(response.aiMessage().text()).isEqualTo("the small answer is 41");
    }

    @Test
    void should_retry_a_small_model_server_error_and_hand_a_dead_small_model_to_the_large_one() {
        // given
        small.faultNext(Fault.status(500));
        ChatModel retrying = model(SmallOnly.create()).retryPolicy(RETRY).build();
        ChatModel fallingBack = model(SmallOnly.create()).smallFailure(SmallFailureMode.FALLBACK_TO_LARGE).build();
        // when
        ChatResponse retried = retrying.chat(UserMessage.from("q1"));
        small.fault(Fault.connectionReset());
        ChatResponse fellBack = fallingBack.chat(UserMessage.from("q2"));
        // then
        assertThat(retried.aiMessage().text()).isEqualTo("the small answer is 41");
        assertThat(fellBack.aiMessage().text()).isEqualTo("the large answer is 42");
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) fellBack.metadata();
        assertThat(md.notes()).containsExactly(ShepherdResult.NOTE_SMALL_UNAVAILABLE);
        assertThat(md.decision()).isEqualTo(Decision.largeFull());
        assertThat(md.degraded()).isTrue();
        assertThat(ledger.entries()).hasSize(2);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Fault.rateLimited(2), FailureKind.RATE_LIMITED, Duration.ofSeconds(2)),
                Arguments.of(Fault.status(429), FailureKind.RATE_LIMITED, null),
                Arguments.of(Fault.status(500), FailureKind.SERVER_ERROR, null),
                Arguments.of(Fault.status(503), FailureKind.SERVER_ERROR, null),
                Arguments.of(Fault.status(400), FailureKind.REQUEST_ERROR, null),
                Arguments.of(Fault.status(401), FailureKind.REQUEST_ERROR, null),
                Arguments.of(Fault.status(404), FailureKind.REQUEST_ERROR, null),
                Arguments.of(Fault.malformedJson(), FailureKind.MALFORMED_RESPONSE, null),
                Arguments.of(Fault.connectionReset(), FailureKind.NETWORK, null),
                Arguments.of(Fault.delay(Duration.ofSeconds(2)), FailureKind.TIMEOUT, null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("faults")
    void should_classify_what_the_real_clients_throw(Fault fault, FailureKind kind, Duration retryAfter) {
        // given
        large.fault(fault);
        small.fault(fault);
        GenerationRequest request = GenerationRequest.builder().messages(List.of(PromptMessage.user("q"))).build();
        ChatModelGenerator openAi = ChatModelGenerator.of(openAi(Duration.ofMillis(500)), "llm", ModelRole.LARGE);
        ChatModelGenerator ollama = ChatModelGenerator.of(ollama(Duration.ofMillis(500)), "slm", ModelRole.SMALL);
        // when
        ModelCallException viaOpenAi = catchThrowableOfType(() -> openAi.generate(request), ModelCallException.class);
        ModelCallException viaOllama = catchThrowableOfType(() -> ollama.generate(request), ModelCallException.class);
        // then
        for (ModelCallException e : List.of(viaOpenAi, viaOllama)) {
            assertThat(e).as(fault.toString()).isNotNull();
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            assertThat(e.retryAfter().orElse(null)).as(e.getMessage()).isEqualTo(retryAfter);
        }
    }
}
