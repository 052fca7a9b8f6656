package dev.shepherd.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.model.ModelRole;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static ModelCallException failure(FailureKind kind) {
        return failure(kind, null);
    }

    private static ModelCallException failure(FailureKind kind, Duration retryAfter) {
        return new ModelCallException(ModelRole.LARGE, "l", kind.name(), null, false, kind, retryAfter);
    }

    private static RetryPolicy.Builder exact() {
        return RetryPolicy.builder().maxAttempts(10).baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(700))
                .jitter(0);
    }

    @Test
    void should_never_retry_a_failure_whose_output_already_reached_the_caller() {
        // given: a stream that broke off with a 503 after its first tokens were sent
        RetryPolicy policy = exact().retryOn(EnumSet.complementOf(EnumSet.of(FailureKind.REQUEST_ERROR))).build();
        ModelCallException sent = new ModelCallException(ModelRole.SMALL, "slm", "stream closed", null, false,
                FailureKind.SERVER_ERROR, null, true);
        // when / then: its kind is kept, but no policy retries it
        assertThat(sent.kind()).isEqualTo(FailureKind.SERVER_ERROR);
        assertThat(policy.retries(sent)).isFalse();
        assertThat(policy.delayBeforeRetry(1, sent, null)).isEmpty();
        assertThat(policy.retries(failure(FailureKind.SERVER_ERROR))).isTrue();
    }

    @Test
    void should_double_the_wait_after_each_failure_up_to_the_maximum_delay() {
        // given
        RetryPolicy policy = exact().build();
        // when
        List<Long> waits = new ArrayList<>();
        for (int failed = 1; failed <= 6; failed++) {
            waits.add(policy.delayBeforeRetry(failed, failure(FailureKind.SERVER_ERROR), null).orElseThrow().toMillis());
        }
        // then
        assertThat(waits).containsExactly(100L, 200L, 400L, 700L, 700L, 700L);
    }

    @Test
    void should_not_overflow_after_many_failures() {
        // given
        RetryPolicy policy = exact().maxAttempts(Integer.MAX_VALUE).maxDelay(Duration.ofDays(1)).build();
        // when / then
        assertThat(policy.delayBeforeRetry(200, failure(FailureKind.NETWORK), null)).contains(Duration.ofDays(1));
    }

    @Test
    void should_draw_every_wait_within_the_jitter_range_reproducibly_from_a_seeded_random() {
        // given
        RetryPolicy policy = exact().jitter(0.5).random(new Random(42)).build();
        RetryPolicy same = exact().jitter(0.5).random(new Random(42)).build();
        // when
        List<Duration> first = new ArrayList<>();
        List<Duration> second = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            first.add(policy.delayBeforeRetry(2, failure(FailureKind.TIMEOUT), null).orElseThrow());
            second.add(same.delayBeforeRetry(2, failure(FailureKind.TIMEOUT), null).orElseThrow());
        }
        // then: the backoff after two failures is 200 ms; half of it is drawn, so [100, 200] ms
        assertThat(first).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(100), Duration.ofMillis(200)));
        assertThat(first).isEqualTo(second);
        assertThat(first.stream().distinct().count()).isGreaterThan(900);
        assertThat(first.stream().mapToLong(Duration::toMillis).min().orElseThrow()).isLessThan(110);
        assertThat(first.stream().mapToLong(Duration::toMillis).max().orElseThrow()).isGreaterThanOrEqualTo(190);
    }

    @Test
    void should_wait_at_least_the_retry_after_the_backend_asked_for() {
        // given
        RetryPolicy policy = exact().maxDelay(Duration.ofSeconds(2)).build();
        // when
        Optional<Duration> longer = policy.delayBeforeRetry(1, failure(FailureKind.RATE_LIMITED, Duration.ofSeconds(1)), null);
        Optional<Duration> shorter = policy.delayBeforeRetry(1, failure(FailureKind.RATE_LIMITED, Duration.ofMillis(10)), null);
        // then
        assertThat(longer).contains(Duration.ofSeconds(1));
        assertThat(shorter).contains(Duration.ofMillis(100));
    }

    @Test
    void should_give_up_when_the_retry_after_exceeds_the_maximum_delay() {
        // given
        RetryPolicy policy = exact().maxDelay(Duration.ofMillis(500)).build();
        // when / then
        assertThat(policy.delayBeforeRetry(1, failure(FailureKind.RATE_LIMITED, Duration.ofSeconds(1)), null)).isEmpty();
    }

    @Test
    void should_give_up_when_the_wait_would_reach_the_deadline() {
        // given
        RetryPolicy policy = exact().build();
        ModelCallException e = failure(FailureKind.SERVER_ERROR);
        // when / then
        assertThat(policy.delayBeforeRetry(1, e, Duration.ofMillis(101))).contains(Duration.ofMillis(100));
        assertThat(policy.delayBeforeRetry(1, e, Duration.ofMillis(100))).isEmpty();
        assertThat(policy.delayBeforeRetry(1, e, Duration.ofMillis(-5))).isEmpty();
        assertThat(policy.delayBeforeRetry(1, failure(FailureKind.RATE_LIMITED, Duration.ofMillis(300)),
                Duration.ofMillis(250))).isEmpty();
    }

    @Test
    void should_never_retry_a_request_error_or_an_unclassified_failure_by_default() {
        // given
        RetryPolicy policy = RetryPolicy.ofDefaults();
        // when / then
        assertThat(policy.delayBeforeRetry(1, failure(FailureKind.REQUEST_ERROR), null)).isEmpty();
        assertThat(policy.delayBeforeRetry(1, failure(FailureKind.OTHER), null)).isEmpty();
        assertThat(policy.delayBeforeRetry(1, failure(FailureKind.MALFORMED_RESPONSE), null)).isEmpty();
        for (FailureKind k : Set.of(FailureKind.RATE_LIMITED, FailureKind.SERVER_ERROR, FailureKind.NETWORK,
                FailureKind.TIMEOUT)) {
            assertThat(policy.delayBeforeRetry(1, failure(k), null)).as(k.name()).isPresent();
        }
    }

    @Test
    void should_stop_after_the_maximum_attempts() {
        // given
        RetryPolicy policy = exact().maxAttempts(3).build();
        // when / then: attempts 1 and 2 may be followed by another, attempt 3 is the last
        assertThat(policy.delayBeforeRetry(2, failure(FailureKind.NETWORK), null)).isPresent();
        assertThat(policy.delayBeforeRetry(3, failure(FailureKind.NETWORK), null)).isEmpty();
        assertThat(RetryPolicy.none().delayBeforeRetry(1, failure(FailureKind.NETWORK), null)).isEmpty();
        assertThat(RetryPolicy.none().retries(failure(FailureKind.NETWORK))).isFalse();
    }

    @Test
    void should_reject_bad_settings_naming_the_field_and_value() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be >= 1 but was 0");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofMillis(-1)))
                .hasMessage("baseDelay must be >= 0 but was PT-0.001S");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5)).hasMessage("jitter must be in [0, 1] but was 1.5");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(Double.NaN)).hasMessageContaining("but was NaN");
        assertThatThrownBy(() -> RetryPolicy.builder().retryOn(FailureKind.REQUEST_ERROR))
                .hasMessageContaining("must not contain REQUEST_ERROR");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(10)).maxDelay(Duration.ofSeconds(1))
                .build()).hasMessage("baseDelay must be <= maxDelay but was PT10S > PT1S");
    }

    @Test
    void should_copy_its_settings_into_a_builder() {
        // given
        RetryPolicy policy = exact().retryOn(FailureKind.MALFORMED_RESPONSE, FailureKind.TIMEOUT).build();
        // when
        RetryPolicy copy = policy.toBuilder().build();
        // then
        assertThat(copy.toString()).isEqualTo(policy.toString());
        assertThat(copy.retryOn()).containsExactlyInAnyOrder(FailureKind.MALFORMED_RESPONSE, FailureKind.TIMEOUT);
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void should_classify_what_the_jdk_exceptions_in_the_cause_chain_say() {
        assertThat(FailureKind.of(new RuntimeException(new SocketTimeoutException("read timed out"))))
                .isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureKind.of(new TimeoutException())).isEqualTo(FailureKind.TIMEOUT);
        assertThat(FailureKind.of(new RuntimeException(new IOException("Connection reset")))).isEqualTo(FailureKind.NETWORK);
        assertThat(FailureKind.of(new ConnectException("refused"))).isEqualTo(FailureKind.NETWORK);
        assertThat(FailureKind.of(new IllegalStateException("x"))).isEqualTo(FailureKind.OTHER);
        assertThat(FailureKind.of(null)).isEqualTo(FailureKind.OTHER);
        assertThat(new ModelCallException(ModelRole.SMALL, "s", "x", new IOException("reset")).kind())
                .isEqualTo(FailureKind.NETWORK);
    }
}
