package dev.shepherd.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.testing.ScriptedGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShepherdTest {

    private static final CostModel COSTS = CostModel.localSmall(TokenPrices.paperLlama70b());

    private static Shepherd.Builder builder(ScriptedGenerator small, ScriptedGenerator large) {
        return Shepherd.builder().small(small).large(large).policy(LargeOnly.create()).costModel(COSTS);
    }

    @Test
    void should_record_the_request_and_name_the_failing_model_when_a_generator_throws() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("local-3b", "#### 1");
        small.failNextCalls(1);
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = builder(small, ScriptedGenerator.replying("remote-70b", "x")).policy(SmallOnly.create())
                .ledger(ledger).build();

        // when / then
        assertThatThrownBy(() -> shepherd.answer(Query.of("id-1", "q", null)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.model()).isEqualTo("local-3b");
                    assertThat(e.role()).isEqualTo(ModelRole.SMALL);
                    assertThat(e.getMessage()).startsWith("small model 'local-3b' failed: IllegalStateException");
                    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
                });
        LedgerEntry entry = ledger.entries().get(0);
        assertThat(entry.queryId()).isEqualTo("id-1");
        assertThat(entry.succeeded()).isFalse();
        assertThat(entry.decision()).isNull();
        assertThat(entry.calls()).singleElement().satisfies(c -> {
            assertThat(c.model()).isEqualTo("local-3b");
            assertThat(c.error()).contains("scripted failure");
            assertThat(c.costUsd()).isZero();
        });
        assertThat(shepherd.answer(Query.of("q")).text()).isEqualTo("#### 1");
        assertThat(ledger.entries()).hasSize(2);
    }

    @Test
    void should_treat_an_empty_completion_as_a_failure_of_that_model() {
        // given
        ScriptedGenerator large = ScriptedGenerator.replying("remote", "   ");
        Shepherd shepherd = builder(ScriptedGenerator.replying("s", "#### 2"), large)
                .failureMode(FailureMode.STRICT).build();

        // when / then
        assertThatThrownBy(() -> shepherd.answer(Query.of("q")))
                .isInstanceOf(ModelCallException.class).hasMessageContaining("'remote'").hasMessageContaining("empty");
    }

    @Test
    void should_accept_an_empty_continuation_of_an_assistant_prefix() {
        // given: a continuation hint that is already a whole answer; the small model adds nothing
        ScriptedGenerator small = ScriptedGenerator.answering("s", request ->
                request.assistantPrefix() != null ? "" : "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 2 and a long explanation that goes on");
        Shepherd shepherd = builder(small, large).hintPlacement(HintPlacement.CONTINUATION)
                .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1, 3))
                        .rule(new HintDecisionRule(0.5, 10, 10)).build())
                .failureMode(FailureMode.STRICT).build();

        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));

        // then: the answer is the hint itself, not a failure of the small model
        assertThat(r.decision()).isEqualTo(Decision.hint(3));
        assertThat(r.text()).isEqualTo(r.hint().text());
        assertThat(small.lastRequest().assistantPrefix()).isEqualTo(r.hint().text());
    }

    @Test
    void should_fall_back_to_the_small_model_when_the_spend_cap_refuses_and_throw_in_strict_mode() {
        // given: the cap cannot afford the worst case of one full answer (4096 output tokens)
        AtomicLong now = new AtomicLong();
        SpendCap cap = SpendCap.of(0.001, Duration.ofMinutes(1), now::get);
        ScriptedGenerator large = ScriptedGenerator.replying("l", "x");
        Shepherd lenient = builder(ScriptedGenerator.replying("s", "#### 2"), large).spendCap(cap).build();
        Shepherd strict = lenient.toBuilder().failureMode(FailureMode.STRICT).build();

        // when
        ShepherdResult r = lenient.answer(Query.of("q"));

        // then
        assertThat(r.notes()).contains(ShepherdResult.NOTE_SPEND_CAP);
        assertThat(r.degraded()).isTrue();
        assertThat(r.text()).isEqualTo("#### 2");
        assertThat(large.calls()).isZero();
        assertThatThrownBy(() -> strict.answer(Query.of("q"))).isInstanceOf(SpendLimitExceededException.class);
        assertThat(strict.ledger().entries()).hasSize(2);
        assertThat(strict.ledger().entries().get(1).succeeded()).isFalse();
    }

    @Test
    void should_never_exceed_the_spend_cap_with_many_concurrent_requests() throws Exception {
        // given: each full answer costs 10 input + 10 output tokens but reserves a 4096-token worst case
        AtomicLong now = new AtomicLong();
        TokenPrices expensive = TokenPrices.perMillion(1_000, 1_000);
        double worstCase = expensive.cost(4 + 16, 64);
        SpendCap cap = SpendCap.of(worstCase * 5, Duration.ofHours(1), now::get);
        ScriptedGenerator large = ScriptedGenerator.answering("l", r -> "w ".repeat(10).strip());
        Shepherd shepherd = Shepherd.builder().small(ScriptedGenerator.replying("s", "#### 1")).large(large)
                .policy(LargeOnly.create()).costModel(CostModel.localSmall(expensive)).spendCap(cap)
                .largeMaxOutputTokens(64).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);

        // when
        List<Future<ShepherdResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                futures.add(pool.submit(() -> shepherd.answer(Query.of("q-" + Thread.currentThread().getId(), "abcd", null))));
            }
            for (Future<ShepherdResult> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // then: the large model's actual spend stays under the cap, and the cap was the binding constraint
        double spent = shepherd.ledger().entries().stream()
                .flatMap(e -> e.calls().stream()).filter(c -> c.role() == ModelRole.LARGE)
                .mapToDouble(c -> c.costUsd()).sum();
        assertThat(spent).isLessThanOrEqualTo(cap.limitUsd() + 1e-12);
        assertThat(cap.spentInWindow()).isCloseTo(spent, within(1e-9));
        assertThat(large.calls()).isGreaterThan(5).isLessThan(400);
        assertThat(shepherd.ledger().entries()).hasSize(400);
        assertThat(shepherd.ledger().entries()).filteredOn(e -> e.notes().contains(ShepherdResult.NOTE_SPEND_CAP))
                .hasSize(400 - large.calls());
    }

    @Test
    void should_keep_the_worst_case_reserved_for_a_failed_call_that_may_have_been_billed() {
        // given: two large models that fail, one after sending (a timeout), one refused unprocessed (429)
        TokenPrices prices = TokenPrices.perMillion(1_000, 1_000);
        double worstCase = prices.cost(1 + 16, 64);
        ScriptedGenerator timingOut = ScriptedGenerator.replying("timing-out", "x");
        timingOut.failureType(() -> new ModelCallException(ModelRole.LARGE, "timing-out", "timed out"));
        timingOut.failNextCalls(1);
        ScriptedGenerator refusing = ScriptedGenerator.replying("refusing", "x");
        refusing.failureType(() -> new ModelCallException(ModelRole.LARGE, "refusing", "rate limited", null, true));
        refusing.failNextCalls(1);
        SpendCap billedCap = SpendCap.of(1, Duration.ofHours(1));
        SpendCap refusedCap = SpendCap.of(1, Duration.ofHours(1));

        // when
        builder(ScriptedGenerator.replying("s", "#### 1"), timingOut).costModel(CostModel.localSmall(prices))
                .spendCap(billedCap).largeMaxOutputTokens(64).build().answer(Query.of("q"));
        builder(ScriptedGenerator.replying("s", "#### 1"), refusing).costModel(CostModel.localSmall(prices))
                .spendCap(refusedCap).largeMaxOutputTokens(64).build().answer(Query.of("q"));

        // then: the timed-out call may have been billed, so the cap keeps counting it; the refused one is released
        assertThat(billedCap.spentInWindow()).isCloseTo(worstCase, within(1e-12));
        assertThat(refusedCap.spentInWindow()).isZero();
    }

    @Test
    void should_return_a_hint_that_came_back_complete_as_the_answer_without_the_small_model() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "short #### 3");
        Shepherd shepherd = builder(small, large)
                .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1, 10))
                        .rule(new HintDecisionRule(0.5, 10, 10)).build())
                .build();

        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));

        // then
        assertThat(r.text()).isEqualTo("short #### 3");
        assertThat(r.notes()).contains("hint-was-complete");
        assertThat(small.calls()).isZero();
        assertThat(r.hint().tokens()).isEqualTo(3);
    }

    @Test
    void should_let_the_small_model_continue_the_hint_with_continuation_placement() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", " then #### 9");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "a b c d e");
        Shepherd shepherd = builder(small, large).hintPlacement(HintPlacement.CONTINUATION)
                .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1, 2))
                        .rule(new HintDecisionRule(0.5, 10, 10)).build())
                .build();

        // when
        ShepherdResult r = shepherd.answer(Query.of("q"));

        // then
        assertThat(small.lastRequest().assistantPrefix()).isEqualTo("a b");
        assertThat(small.lastRequest().messages().get(0).text()).isEqualTo("q");
        assertThat(r.text()).isEqualTo("a b then #### 9");
        assertThat(r.tokens(ModelRole.LARGE, true)).isEqualTo(2);
        assertThat(r.calls()).extracting(c -> c.purpose()).containsExactly(CallPurpose.HINT, CallPurpose.ANSWER);
    }

    @Test
    void should_stamp_entries_with_the_injected_clock() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
        Shepherd shepherd = builder(ScriptedGenerator.replying("s", "1"), ScriptedGenerator.replying("l", "2"))
                .clock(clock).build();
        shepherd.answer(Query.of("q"));
        assertThat(shepherd.ledger().entries().get(0).timestamp()).isEqualTo(clock.instant());
    }

    @Test
    void should_require_models_policy_and_cost_model_and_reject_bad_settings() {
        ScriptedGenerator g = ScriptedGenerator.replying("g", "x");
        assertThatThrownBy(() -> Shepherd.builder().large(g).policy(SmallOnly.create()).costModel(COSTS).build())
                .hasMessageContaining("small");
        assertThatThrownBy(() -> Shepherd.builder().small(g).policy(SmallOnly.create()).costModel(COSTS).build())
                .hasMessageContaining("large");
        assertThatThrownBy(() -> Shepherd.builder().small(g).large(g).costModel(COSTS).build())
                .hasMessageContaining("policy");
        assertThatThrownBy(() -> Shepherd.builder().small(g).large(g).policy(SmallOnly.create()).build())
                .hasMessageContaining("costModel");
        assertThatThrownBy(() -> Shepherd.builder().largeMaxOutputTokens(0))
                .hasMessage("largeMaxOutputTokens must be > 0 but was 0");
        assertThatThrownBy(() -> Shepherd.builder().small(null)).hasMessageContaining("small");
    }

    @Test
    void should_keep_its_settings_in_to_builder() {
        Shepherd s = builder(ScriptedGenerator.replying("s", "1"), ScriptedGenerator.replying("l", "2")).build();
        Shepherd copy = s.toBuilder().policy(SmallOnly.create()).build();
        assertThat(copy.ledger()).isSameAs(s.ledger());
        assertThat(copy.small()).isSameAs(s.small());
        assertThat(copy.large()).isSameAs(s.large());
        assertThat(copy.costModel()).isSameAs(s.costModel());
        assertThat(copy.policy().name()).isEqualTo("slm-only");
    }

    @Test
    void should_buy_hints_from_the_new_large_model_after_to_builder_replaces_it() {
        // given: the default hint provider, which must follow the large model, not stay bound to the first one
        ScriptedGenerator small = ScriptedGenerator.replying("s", "then #### 9");
        ScriptedGenerator oldLarge = ScriptedGenerator.replying("old-large", "old hint");
        ScriptedGenerator newLarge = ScriptedGenerator.replying("new-large", "new hint");
        Shepherd original = builder(small, oldLarge)
                .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1, 2))
                        .rule(new HintDecisionRule(0.5, 10, 10)).build())
                .build();

        // when
        ShepherdResult r = original.toBuilder().large(newLarge).build().answer(Query.of("q"));

        // then
        assertThat(r.hint().text()).isEqualTo("new hint");
        assertThat(r.calls()).filteredOn(c -> c.purpose() == CallPurpose.HINT).singleElement()
                .satisfies(c -> assertThat(c.model()).isEqualTo("new-large"));
        assertThat(oldLarge.calls()).isZero();
    }

    @Test
    void should_describe_decisions() {
        assertThat(Decision.hint(12)).hasToString("HINT(12)");
        assertThat(Decision.smallOnly()).hasToString("SMALL_ONLY");
        assertThat(Decision.largeFull().usesLarge()).isTrue();
        assertThat(Decision.smallOnly().usesLarge()).isFalse();
        assertThatThrownBy(() -> new Decision(Decision.Kind.LARGE_FULL, 3)).hasMessageContaining("must be 0");
    }
}
