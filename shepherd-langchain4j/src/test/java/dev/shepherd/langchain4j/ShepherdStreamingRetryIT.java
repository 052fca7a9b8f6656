package dev.shepherd.langchain4j;

import static dev.shepherd.langchain4j.ShepherdChatModelIT.PRICES;
import static dev.shepherd.langchain4j.ShepherdChatModelIT.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.run.RetryPolicy;
import dev.shepherd.langchain4j.testing.Fault;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShepherdStreamingChatModel} with a {@link RetryPolicy} over real HTTP: a stream that fails before its first
 * token is classified as the blocking adapter classifies it (429 rate limited, 5xx server error) and retried; a
 * stream that fails after the caller got some of its text is never retried from scratch.
 */
class ShepherdStreamingRetryIT {

    static final String SMALL_ANSWER = "The small model says 42";
    static final RetryPolicy FAST = RetryPolicy.ofDefaults().toBuilder().baseDelay(Duration.ofMillis(20)).build();

    FakeOpenAiServer large;
    FakeOpenAiServer small;
    final CostLedger ledger = CostLedger.create();

    @BeforeEach
    void start() {
        large = FakeOpenAiServer.start(req -> " and the large model agrees");
        small = FakeOpenAiServer.start(req -> SMALL_ANSWER);
    }

    @AfterEach
    void stop() {
        large.close();
        small.close();
    }

    ShepherdStreamingChatModel.Builder model(RetryPolicy retry) {
        return ShepherdStreamingChatModel.builder().small(Clients.openAiStreaming(small, "slm"))
                .large(Clients.openAiStreaming(large, "llm")).policy(SmallOnly.create()).costModel(PRICES)
                .ledger(ledger).retryPolicy(retry);
    }

    @Test
    void should_retry_a_stream_rate_limited_before_its_first_token() throws Exception {
        // given: the small model answers 429 once, then streams normally
        small.faultNext(Fault.status(429));
        PartialsCollector handler = new PartialsCollector();
        // when
        model(RetryPolicy.ofDefaults()).build().chat(QUESTION, handler);
        ChatResponse response = handler.done.get(20, TimeUnit.SECONDS);
        // then: answered on the second attempt, its text sent once
        assertThat(small.requestCount()).isEqualTo(2);
        assertThat(handler.text()).isEqualTo(SMALL_ANSWER).isEqualTo(response.aiMessage().text());
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isTrue());
    }

    @Test
    void should_retry_a_stream_that_failed_with_a_server_error_before_its_first_token() throws Exception {
        // given
        small.faultNext(Fault.status(503));
        PartialsCollector handler = new PartialsCollector();
        // when
        model(FAST).build().chat(QUESTION, handler);
        ChatResponse response = handler.done.get(20, TimeUnit.SECONDS);
        // then
        assertThat(small.requestCount()).isEqualTo(2);
        assertThat(handler.text()).isEqualTo(SMALL_ANSWER).isEqualTo(response.aiMessage().text());
    }

    @Test
    void should_not_retry_a_stream_that_failed_after_sending_text_and_fail_without_repeating_it() throws Exception {
        // given: the small model's stream drops after three tokens, and the large model may not continue it
        small.faultNext(Fault.cutStreamAfter(3));
        PartialsCollector handler = new PartialsCollector();
        // when
        model(FAST).largeContinuesSmall(false).build().chat(QUESTION, handler);
        // then: one attempt, the three tokens once, and a failure marked as having sent output
        assertThat(handler.done).failsWithin(20, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.role()).isEqualTo(ModelRole.SMALL);
                    assertThat(e.outputSent()).isTrue();
                    assertThat(FAST.retries(e)).isFalse();
                });
        assertThat(small.requestCount()).isEqualTo(1);
        assertThat(handler.text()).isEqualTo("The small model");
        assertThat(large.requestCount()).isZero();
    }

    @Test
    void should_continue_a_stream_that_failed_after_sending_text_instead_of_retrying_it() throws Exception {
        // given: the small model's stream drops after three tokens; the large model continues (the default)
        small.faultNext(Fault.cutStreamAfter(3));
        PartialsCollector handler = new PartialsCollector();
        // when
        model(FAST).build().chat(QUESTION, handler);
        ChatResponse response = handler.done.get(20, TimeUnit.SECONDS);
        // then: no second small attempt, no repeated text
        assertThat(small.requestCount()).isEqualTo(1);
        assertThat(handler.text()).isEqualTo("The small model and the large model agrees")
                .isEqualTo(response.aiMessage().text());
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.notes()).contains(LiveStream.NOTE_CONTINUED);
        });
    }

    @Test
    void should_classify_a_streamed_rate_limit_when_retries_run_out() throws Exception {
        // given: every small-model call is rate limited, and nothing retries
        small.fault(Fault.status(429));
        PartialsCollector handler = new PartialsCollector();
        // when
        model(RetryPolicy.none()).largeContinuesSmall(false).build().chat(QUESTION, handler);
        // then
        assertThat(handler.done).failsWithin(20, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.RATE_LIMITED);
                    assertThat(e.outputSent()).isFalse();
                });
        assertThat(small.requestCount()).isEqualTo(1);
        assertThat(handler.text()).isEmpty();
    }
}
