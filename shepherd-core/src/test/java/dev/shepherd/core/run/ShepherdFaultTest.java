package dev.shepherd.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.AgreementCascade;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallOnly;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Model faults through the executor: retries, the deadline, dropped samples and the small-to-large fallback. */
class ShepherdFaultTest {

    private static final TokenPrices PRICES = TokenPrices.perMillion(1_000, 1_000);
    private static final RetryPolicy FAST = RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofSeconds(2)).jitter(0).build();

    /**
     * A generator that plays its steps in order, the last one for every further call: a reply, or a
     * {@code Supplier} of the exception to throw (a fresh one per call).
     */
    static final class Steps implements Generator {
        private final String name;
        private final List<Object> steps;
        private final AtomicInteger calls = new AtomicInteger();
        private final List<Long> startedNanos = new ArrayList<>();
        private FinishReason finish = FinishReason.STOP;

        Steps(String name, Object... steps) {
            this.name = name;
            this.steps = Arrays.asList(steps);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized Completion generate(GenerationRequest request) {
            startedNanos.add(System.nanoTime());
            Object step = steps.get(Math.min(calls.getAndIncrement(), steps.size() - 1));
            if (step instanceof Supplier<?> failure) {
                throw (RuntimeException) failure.get();
            }
            return Completion.of((String) step, 3, 4, finish);
        }

        /** Replies end with this finish reason (STOP by default). */
        Steps finishing(FinishReason reason) {
            this.finish = reason;
            return this;
        }

        int calls() {
            return calls.get();
        }

        synchronized long millisBetween(int first, int second) {
            return (startedNanos.get(second) - startedNanos.get(first)) / 1_000_000;
        }
    }

    private static Supplier<ModelCallException> fault(ModelRole role, FailureKind kind) {
        return fault(role, kind, null);
    }

    private static Supplier<ModelCallException> fault(ModelRole role, FailureKind kind, Duration retryAfter) {
        return () -> new ModelCallException(role, role == ModelRole.SMALL ? "s" : "l", "injected " + kind, null,
                kind == FailureKind.RATE_LIMITED || kind == FailureKind.REQUEST_ERROR, kind, retryAfter);
    }

    private static Shepherd.Builder builder(Generator small, Generator large, ShepherdingPolicy policy) {
        return Shepherd.builder().small(small).large(large).policy(policy).costModel(CostModel.localSmall(PRICES))
                .extractor(AnswerExtractor.math()).largeMaxOutputTokens(64);
    }

    private static ReactiveShepherding reactive(double p, double n) {
        return ReactiveShepherding.builder().predictor(HintPredictor.constant(p, n))
                .rule(new HintDecisionRule(0.5, 20, 100)).build();
    }

    @Test
    void should_retry_a_server_error_and_record_every_attempt_in_the_one_ledger_entry() {
        // given
        Steps small = new Steps("s", fault(ModelRole.SMALL, FailureKind.SERVER_ERROR),
                fault(ModelRole.SMALL, FailureKind.NETWORK), "#### 7");
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = builder(small, new Steps("l", "x"), SmallOnly.create()).retryPolicy(FAST).ledger(ledger)
                .build();
        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));
        // then
        assertThat(r.text()).isEqualTo("#### 7");
        assertThat(r.notes()).containsExactly(ShepherdResult.NOTE_RETRIED);
        assertThat(r.calls()).hasSize(3);
        assertThat(r.calls().subList(0, 2)).allSatisfy(c -> {
            assertThat(c.failed()).isTrue();
            assertThat(c.costUsd()).isZero();
            assertThat(c.inputTokens() + c.outputTokens()).isZero();
        });
        assertThat(r.calls().get(0).error()).contains("injected SERVER_ERROR");
        assertThat(r.calls().get(2).failed()).isFalse();
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.calls()).isEqualTo(r.calls());
            assertThat(e.succeeded()).isTrue();
        });
    }

    @Test
    void should_honour_retry_after_before_trying_a_rate_limited_large_call_again() {
        // given
        Steps large = new Steps("l", fault(ModelRole.LARGE, FailureKind.RATE_LIMITED, Duration.ofMillis(300)),
                "the answer #### 42");
        Shepherd shepherd = builder(new Steps("s", "#### 1"), large, LargeOnly.create()).retryPolicy(FAST).build();
        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));
        // then
        assertThat(r.text()).isEqualTo("the answer #### 42");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(large.calls()).isEqualTo(2);
        assertThat(large.millisBetween(0, 1)).isGreaterThanOrEqualTo(300);
        assertThat(r.calls()).extracting(CallRecord::failed).containsExactly(true, false);
    }

    @Test
    void should_not_retry_a_request_error_or_an_unclassified_failure() {
        // given
        Steps refused = new Steps("s", fault(ModelRole.SMALL, FailureKind.REQUEST_ERROR), "#### 1");
        Steps broken = new Steps("s", (Supplier<RuntimeException>) () -> new IllegalStateException("bug"), "#### 1");
        // when / then
        assertThatThrownBy(() -> builder(refused, new Steps("l", "x"), SmallOnly.create())
                .retryPolicy(RetryPolicy.ofDefaults()).build().answer(Query.of("q")))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.REQUEST_ERROR));
        assertThatThrownBy(() -> builder(broken, new Steps("l", "x"), SmallOnly.create())
                .retryPolicy(RetryPolicy.ofDefaults()).build().answer(Query.of("q")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.OTHER));
        assertThat(refused.calls()).isEqualTo(1);
        assertThat(broken.calls()).isEqualTo(1);
    }

    @Test
    void should_stop_retrying_at_the_request_deadline() {
        // given: a small model that always times out, retried every 50 ms, under a 300 ms deadline
        Steps small = new Steps("s", fault(ModelRole.SMALL, FailureKind.TIMEOUT));
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = builder(small, new Steps("l", "x"), SmallOnly.create()).ledger(ledger)
                .retryPolicy(RetryPolicy.builder().maxAttempts(1_000).baseDelay(Duration.ofMillis(50))
                        .maxDelay(Duration.ofMillis(50)).jitter(0).build())
                .requestTimeout(Duration.ofMillis(300)).build();
        // when
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> shepherd.answer(Query.of("q"))).isInstanceOf(ModelCallException.class);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;
        // then: no wait ran past the deadline (sleeps overshoot on a loaded machine, hence the loose bound)
        assertThat(tookMillis).isGreaterThanOrEqualTo(200).isLessThan(1_500);
        assertThat(small.calls()).isBetween(2, 7);
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.calls()).hasSize(small.calls()));
    }

    @Test
    void should_not_retry_an_attempt_that_would_end_past_the_deadline_at_the_pace_of_the_failed_one() {
        // given: a small model that times out after 200 ms, under a 300 ms deadline
        AtomicInteger calls = new AtomicInteger();
        Generator slow = new Generator() {
            @Override
            public String name() {
                return "s";
            }

            @Override
            public Completion generate(GenerationRequest request) {
                calls.incrementAndGet();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw fault(ModelRole.SMALL, FailureKind.TIMEOUT).get();
            }
        };
        Shepherd shepherd = builder(slow, new Steps("l", "x"), SmallOnly.create()).retryPolicy(FAST)
                .requestTimeout(Duration.ofMillis(300)).build();
        // when / then: a second attempt of 200 ms would end at 400 ms, after the deadline
        assertThatThrownBy(() -> shepherd.answer(Query.of("q"))).isInstanceOf(ModelCallException.class);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void should_start_no_large_model_call_after_the_deadline_and_fall_back_to_the_small_model() {
        // given: the predictor alone outlasts the deadline
        HintPredictor slow = (query, features) -> {
            try {
                Thread.sleep(120);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return dev.shepherd.core.hint.HintPrediction.of(0.9, 3);
        };
        Steps large = new Steps("l", "x y z");
        Shepherd shepherd = builder(new Steps("s", "#### 1"), large, ProactiveShepherding.builder().predictor(slow)
                .rule(new HintDecisionRule(0.5, 20, 100)).build()).requestTimeout(Duration.ofMillis(20)).build();
        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));
        // then
        assertThat(large.calls()).isZero();
        assertThat(r.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
        assertThat(r.calls().get(0).error()).contains("deadline of PT0.02S passed");
        assertThat(r.text()).isEqualTo("#### 1");
    }

    @Test
    void should_reserve_each_large_attempt_against_the_spend_cap_and_stop_when_it_refuses() {
        // given: room for two worst cases; each failed 500 may have been billed, so it keeps its reservation
        double worstCase = PRICES.cost(1 + 16, 64);
        SpendCap cap = SpendCap.of(2.5 * worstCase, Duration.ofHours(1));
        Steps large = new Steps("l", fault(ModelRole.LARGE, FailureKind.SERVER_ERROR));
        Shepherd shepherd = builder(new Steps("s", "#### 1"), large, LargeOnly.create()).retryPolicy(FAST)
                .spendCap(cap).build();
        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));
        // then: the third attempt was refused by the cap before any call
        assertThat(large.calls()).isEqualTo(2);
        assertThat(cap.spentInWindow()).isCloseTo(2 * worstCase, within(1e-12));
        assertThat(r.notes()).contains(ShepherdResult.NOTE_SPEND_CAP, ShepherdResult.NOTE_RETRIED);
        assertThat(r.text()).isEqualTo("#### 1");
    }

    @Test
    void should_drop_a_failed_sample_and_decide_on_the_others() {
        // given: the second of three samples fails
        Steps small = new Steps("s", "a #### 5", fault(ModelRole.SMALL, FailureKind.OTHER), "b #### 5");
        Steps large = new Steps("l", "x");
        // when
        ShepherdResult reactive = builder(small, large, reactive(1, 10)).build().answer(Query.of("q"));
        Steps small2 = new Steps("s", "a #### 5", fault(ModelRole.SMALL, FailureKind.NETWORK), "b #### 5");
        ShepherdResult cascade = builder(small2, large, AgreementCascade.builder().samples(3).agreement(2).build())
                .build().answer(Query.of("q"));
        // then
        for (ShepherdResult r : List.of(reactive, cascade)) {
            assertThat(r.decision()).isEqualTo(Decision.smallOnly());
            assertThat(r.text()).isEqualTo("a #### 5");
            assertThat(r.notes()).containsExactly("agreed 2/2", ShepherdResult.NOTE_SAMPLE_DROPPED);
            assertThat(r.calls()).extracting(CallRecord::failed).containsExactly(false, true, false);
        }
        assertThat(large.calls()).isZero();
    }

    @Test
    void should_escalate_when_too_few_samples_survive_to_agree() {
        // given: K = 3, k = 3, one sample fails
        Steps small = new Steps("s", "a #### 5", "b #### 5", fault(ModelRole.SMALL, FailureKind.TIMEOUT));
        Steps large = new Steps("l", "big #### 5");
        // when
        ShepherdResult r = builder(small, large, AgreementCascade.builder().build()).build().answer(Query.of("q"));
        // then
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly("disagreed 2/2", ShepherdResult.NOTE_SAMPLE_DROPPED);
    }

    @Test
    void should_fail_when_every_sample_fails_and_at_once_on_a_request_error() {
        // given
        Steps allFail = new Steps("s", fault(ModelRole.SMALL, FailureKind.SERVER_ERROR));
        Steps refused = new Steps("s", fault(ModelRole.SMALL, FailureKind.REQUEST_ERROR));
        CostLedger ledger = CostLedger.create();
        // when / then
        assertThatThrownBy(() -> builder(allFail, new Steps("l", "x"), reactive(1, 10)).ledger(ledger).build()
                .answer(Query.of("q")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.role()).isEqualTo(ModelRole.SMALL);
                    assertThat(e.getSuppressed()).hasSize(2);
                });
        assertThatThrownBy(() -> builder(refused, new Steps("l", "x"), reactive(1, 10)).build().answer(Query.of("q")))
                .isInstanceOf(ModelCallException.class);
        assertThat(allFail.calls()).isEqualTo(3);
        assertThat(refused.calls()).isEqualTo(1);
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isFalse();
            assertThat(e.calls()).hasSize(3);
        });
    }

    @Test
    void should_let_the_large_model_answer_when_the_small_one_fails_if_configured() {
        // given
        Steps small = new Steps("s", fault(ModelRole.SMALL, FailureKind.NETWORK));
        Steps large = new Steps("l", "big answer #### 8");
        CostLedger ledger = CostLedger.create();
        SpendCap cap = SpendCap.of(1, Duration.ofHours(1));
        Shepherd shepherd = builder(small, large, reactive(1, 10)).smallFailure(SmallFailureMode.FALLBACK_TO_LARGE)
                .spendCap(cap).ledger(ledger).build();
        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));
        // then
        assertThat(r.text()).isEqualTo("big answer #### 8");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.notes()).containsExactly(ShepherdResult.NOTE_SMALL_UNAVAILABLE);
        assertThat(r.degraded()).isTrue();
        assertThat(r.calls()).extracting(CallRecord::role)
                .containsExactly(ModelRole.SMALL, ModelRole.SMALL, ModelRole.SMALL, ModelRole.LARGE);
        assertThat(r.calls().get(3).purpose()).isEqualTo(CallPurpose.ANSWER);
        assertThat(cap.spentInWindow()).isCloseTo(r.costUsd(), within(1e-12)).isPositive();
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.notes()).containsExactly(ShepherdResult.NOTE_SMALL_UNAVAILABLE);
            assertThat(e.costUsd()).isEqualTo(r.costUsd());
        });
    }

    @Test
    void should_keep_failing_when_the_small_model_fails_by_default() {
        // given
        Steps small = new Steps("s", fault(ModelRole.SMALL, FailureKind.NETWORK));
        Steps large = new Steps("l", "big");
        // when / then
        assertThatThrownBy(() -> builder(small, large, SmallOnly.create()).build().answer(Query.of("q")))
                .isInstanceOf(ModelCallException.class);
        assertThat(large.calls()).isZero();
    }

    @Test
    void should_return_a_sample_at_hand_when_the_large_fallback_is_refused_by_the_cap() {
        // given: samples disagree, a hint is bought, then the small answer with the hint fails; the cap has room
        // for the hint only
        Steps small = new Steps("s", "#### 1", "#### 2", "#### 3", fault(ModelRole.SMALL, FailureKind.NETWORK));
        Steps large = new Steps("l", "a b c d e f g h i j k l m").finishing(FinishReason.LENGTH);
        double hintWorstCase = PRICES.cost(1 + 16, 10);
        Shepherd shepherd = builder(small, large, reactive(0.9, 10)).smallFailure(SmallFailureMode.FALLBACK_TO_LARGE)
                .spendCap(SpendCap.of(hintWorstCase * 1.5, Duration.ofHours(1))).build();
        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));
        // then
        assertThat(r.text()).isEqualTo("#### 1");
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.notes()).containsExactly(ShepherdResult.NOTE_SMALL_UNAVAILABLE, ShepherdResult.NOTE_SPEND_CAP);
        assertThat(large.calls()).isEqualTo(1);
    }

    @Test
    void should_throw_the_small_failure_with_the_large_one_suppressed_when_both_fail_in_strict_mode() {
        // given
        Steps small = new Steps("s", fault(ModelRole.SMALL, FailureKind.SERVER_ERROR));
        Steps large = new Steps("l", fault(ModelRole.LARGE, FailureKind.SERVER_ERROR));
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = builder(small, large, SmallOnly.create()).smallFailure(SmallFailureMode.FALLBACK_TO_LARGE)
                .failureMode(FailureMode.STRICT).ledger(ledger).build();
        // when / then
        assertThatThrownBy(() -> shepherd.answer(Query.of("q")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.role()).isEqualTo(ModelRole.SMALL);
                    assertThat(e.getSuppressed()).singleElement().isInstanceOf(ModelCallException.class);
                });
        LedgerEntry entry = ledger.entries().get(0);
        assertThat(entry.succeeded()).isFalse();
        assertThat(entry.notes()).containsExactly(ShepherdResult.NOTE_SMALL_UNAVAILABLE);
        assertThat(entry.calls()).hasSize(2);
    }

    @Test
    void should_throw_the_small_failure_when_the_cap_refuses_the_fallback_and_no_sample_is_at_hand() {
        // given
        Steps small = new Steps("s", fault(ModelRole.SMALL, FailureKind.SERVER_ERROR));
        Shepherd shepherd = builder(small, new Steps("l", "big"), SmallOnly.create())
                .smallFailure(SmallFailureMode.FALLBACK_TO_LARGE).spendCap(SpendCap.of(0, Duration.ofHours(1))).build();
        // when / then
        assertThatThrownBy(() -> shepherd.answer(Query.of("q")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(SpendLimitExceededException.class));
    }

    @Test
    void should_copy_the_fault_settings_into_a_builder() {
        // given
        Shepherd shepherd = builder(new Steps("s", fault(ModelRole.SMALL, FailureKind.TIMEOUT)), new Steps("l", "big"),
                SmallOnly.create()).retryPolicy(FAST).smallFailure(SmallFailureMode.FALLBACK_TO_LARGE)
                .requestTimeout(Duration.ofSeconds(5)).build();
        // when
        Shepherd copy = shepherd.toBuilder().build();
        ShepherdResult r = copy.answer(Query.of("q"));
        // then
        assertThat(copy.retryPolicy()).isSameAs(FAST);
        assertThat(r.notes()).containsExactly(ShepherdResult.NOTE_SMALL_UNAVAILABLE, ShepherdResult.NOTE_RETRIED);
        assertThat(r.calls()).hasSize(4);
        assertThatThrownBy(() -> Shepherd.builder().requestTimeout(Duration.ZERO))
                .hasMessage("requestTimeout must be positive but was PT0S");
    }
}
