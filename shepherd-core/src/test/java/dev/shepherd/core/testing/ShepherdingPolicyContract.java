package dev.shepherd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ShepherdingPolicy} passes, run through the real {@link Shepherd}
 * executor over {@link ScriptedGenerator}s (small model {@value #SMALL}, large model
 * {@value #LARGE}, both priced so that every call costs something). Subclass it in the policy's
 * test, return the policy from {@link #policy()} and, when the defaults do not make the policy
 * call the large model, override the scripts:
 *
 * <pre>{@code
 * class AgreementCascadeTest extends ShepherdingPolicyContract {
 *     protected ShepherdingPolicy policy() { return AgreementCascade.builder().samples(3).agreement(3).build(); }
 *     protected String smallReply(GenerationRequest request, int repeat) { return "#### " + repeat; }
 * }
 * }</pre>
 *
 * <p>Checks: exactly one ledger entry per request; results and ledger agree on calls and cost,
 * and every generator call is in the trace; a large-model failure falls back to the small model
 * and is flagged; strict mode throws a {@link ModelCallException} naming the model and still
 * writes a failed entry; a small-model failure names the small model; the name is stable
 * kebab-case; concurrent requests give the same answers as sequential ones.
 */
public abstract class ShepherdingPolicyContract {

    /** Name of the contract's small model. */
    protected static final String SMALL = "small-model";
    /** Name of the contract's large model. */
    protected static final String LARGE = "large-model";
    /** Prices of the contract's models: the small one is priced too, so its calls show up in costs. */
    protected static final CostModel COSTS = CostModel.perToken(TokenPrices.perMillion(0.1, 0.2),
            TokenPrices.perMillion(0.59, 0.79));

    /** The policy under test; called for every executor the contract builds. */
    protected abstract ShepherdingPolicy policy();

    /** The small model's reply; by default a short worked answer ending in {@code #### 2i}. */
    protected String smallReply(GenerationRequest request, int repeat) {
        return "Let me add the numbers. #### " + questionNumber(request) * 2;
    }

    /** The large model's reply; by default a worked answer of 24 words ending in {@code #### 2i}. */
    protected String largeReply(GenerationRequest request, int repeat) {
        return "First write down the number. Then add the same number to it once more, carefully, "
                + "and check the sum twice before answering. #### " + questionNumber(request) * 2;
    }

    /** Whether the policy, with these scripts, calls the large model for every contract query. */
    protected boolean callsLargeModel() {
        return true;
    }

    /** Whether the policy, with these scripts, calls the small model for every contract query. */
    protected boolean callsSmallModel() {
        return true;
    }

    /** The i-th contract query (ids {@code q-0, q-1, …}); override for policies that need labels. */
    protected Query query(int i) {
        return Query.of("q-" + i, "What is " + i + " + " + i + "?", String.valueOf(2 * i));
    }

    /** Further executor settings; the extractor is {@link AnswerExtractor#math()} by default. */
    protected Shepherd.Builder configure(Shepherd.Builder builder) {
        return builder.extractor(AnswerExtractor.math());
    }

    /** The number i of a contract query found in the request's last message, 0 when absent. */
    protected static int questionNumber(GenerationRequest request) {
        String text = request.messages().get(request.messages().size() - 1).text();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("What is (\\d+) \\+").matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The contract's small generator, as configured by {@link #smallReply}. */
    protected ScriptedGenerator newSmall() {
        return ScriptedGenerator.scripted(SMALL, this::smallReply);
    }

    /** The contract's large generator, as configured by {@link #largeReply}. */
    protected ScriptedGenerator newLarge() {
        return ScriptedGenerator.scripted(LARGE, this::largeReply);
    }

    private Shepherd shepherd(ScriptedGenerator small, ScriptedGenerator large, CostLedger ledger, FailureMode mode) {
        return configure(Shepherd.builder().small(small).large(large).policy(policy()).costModel(COSTS)
                .ledger(ledger).failureMode(mode)).build();
    }

    @Test
    void should_write_exactly_one_ledger_entry_per_request() {
        // given
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = shepherd(newSmall(), newLarge(), ledger, FailureMode.STRICT);

        // when
        List<ShepherdResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(shepherd.answer(query(i)));
        }

        // then
        assertThat(ledger.entries()).hasSize(5);
        assertThat(ledger.totals().requests()).isEqualTo(5);
        assertThat(ledger.entries()).extracting(LedgerEntry::queryId)
                .containsExactly("q-0", "q-1", "q-2", "q-3", "q-4");
        assertThat(ledger.entries()).allSatisfy(e -> {
            assertThat(e.succeeded()).isTrue();
            assertThat(e.policy()).isEqualTo(policy().name());
        });
        assertThat(ledger.entries()).extracting(LedgerEntry::requestId)
                .containsExactlyElementsOf(results.stream().map(ShepherdResult::requestId).toList());
    }

    @Test
    void should_report_the_calls_and_costs_the_ledger_records() {
        // given
        ScriptedGenerator small = newSmall();
        ScriptedGenerator large = newLarge();
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = shepherd(small, large, ledger, FailureMode.STRICT);

        // when
        ShepherdResult result = shepherd.answer(query(3));

        // then
        LedgerEntry entry = ledger.entries().get(0);
        assertThat(entry.requestId()).isEqualTo(result.requestId());
        assertThat(entry.calls()).isEqualTo(result.calls());
        assertThat(entry.costUsd()).isEqualTo(result.costUsd());
        assertThat(entry.decision()).isEqualTo(result.decision());
        assertThat(ledger.totals().costUsd()).isEqualTo(result.costUsd());
        for (CallRecord c : result.calls()) {
            assertThat(c.costUsd()).isEqualTo(COSTS.cost(c.role(), c.inputTokens(), c.outputTokens()));
            assertThat(c.failed()).isFalse();
        }
        assertThat(result.calls()).hasSize(small.calls() + large.calls());
        assertThat(result.calls()).filteredOn(c -> c.role() == ModelRole.SMALL).hasSize(small.calls());
        assertThat(large.calls() > 0).as("large model called").isEqualTo(callsLargeModel());
        assertThat(small.calls() > 0).as("small model called").isEqualTo(callsSmallModel());
        assertThat(result.decision().usesLarge()).isEqualTo(callsLargeModel());
        assertThat(result.text()).isNotBlank();
    }

    @Test
    void should_fall_back_to_the_small_model_and_flag_it_when_the_large_model_fails() {
        // given
        ScriptedGenerator small = newSmall();
        ScriptedGenerator large = ScriptedGenerator.failing(LARGE);
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = shepherd(small, large, ledger, FailureMode.FALLBACK_TO_SMALL);

        // when
        ShepherdResult result = shepherd.answer(query(2));

        // then
        assertThat(result.text()).isNotBlank();
        assertThat(ledger.entries()).hasSize(1);
        LedgerEntry entry = ledger.entries().get(0);
        assertThat(entry.succeeded()).isTrue();
        if (callsLargeModel()) {
            assertThat(result.degraded()).isTrue();
            assertThat(result.notes()).contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
            assertThat(result.decision()).isEqualTo(Decision.smallOnly());
            assertThat(entry.calls()).anySatisfy(c -> {
                assertThat(c.role()).isEqualTo(ModelRole.LARGE);
                assertThat(c.failed()).isTrue();
            });
            assertThat(result.calls()).filteredOn(c -> c.role() == ModelRole.SMALL).isNotEmpty();
        } else {
            assertThat(result.degraded()).isFalse();
            assertThat(large.calls()).isZero();
        }
    }

    @Test
    void should_throw_naming_the_large_model_and_record_the_failed_request_in_strict_mode() {
        // given
        ScriptedGenerator large = ScriptedGenerator.failing(LARGE);
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = shepherd(newSmall(), large, ledger, FailureMode.STRICT);

        // when / then
        if (!callsLargeModel()) {
            assertThat(shepherd.answer(query(2)).decision().usesLarge()).isFalse();
            assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isTrue());
            return;
        }
        assertThatThrownBy(() -> shepherd.answer(query(2)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.role()).isEqualTo(ModelRole.LARGE);
                    assertThat(e.model()).isEqualTo(LARGE);
                    assertThat(e.getMessage()).contains(LARGE);
                });
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isFalse();
            assertThat(e.error()).contains(LARGE);
            assertThat(e.calls()).anySatisfy(c -> assertThat(c.failed() && c.role() == ModelRole.LARGE).isTrue());
        });
    }

    @Test
    void should_throw_naming_the_small_model_when_it_fails_even_with_fallback() {
        // given
        ScriptedGenerator small = ScriptedGenerator.failing(SMALL);
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = shepherd(small, newLarge(), ledger, FailureMode.FALLBACK_TO_SMALL);

        // when / then
        if (!callsSmallModel()) {
            assertThat(shepherd.answer(query(2)).text()).isNotBlank();
            assertThat(small.calls()).isZero();
            return;
        }
        assertThatThrownBy(() -> shepherd.answer(query(2)))
                .isInstanceOfSatisfying(ModelCallException.class, e -> {
                    assertThat(e.role()).isEqualTo(ModelRole.SMALL);
                    assertThat(e.model()).isEqualTo(SMALL);
                });
        assertThat(ledger.entries()).singleElement().satisfies(e -> {
            assertThat(e.succeeded()).isFalse();
            assertThat(e.calls()).anySatisfy(c -> assertThat(c.failed() && c.role() == ModelRole.SMALL).isTrue());
        });
    }

    @Test
    void should_have_a_stable_non_blank_kebab_case_name() {
        // when
        String name = policy().name();

        // then
        assertThat(name).isNotBlank().matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(policy().name()).isEqualTo(name);
    }

    @Test
    void should_give_the_same_answers_under_concurrent_requests_as_sequentially() throws Exception {
        // given
        int queries = 48;
        Map<String, ShepherdResult> sequential = new HashMap<>();
        Shepherd reference = shepherd(newSmall(), newLarge(), CostLedger.create(), FailureMode.STRICT);
        for (int i = 0; i < queries; i++) {
            sequential.put(query(i).id(), reference.answer(query(i)));
        }
        CostLedger ledger = CostLedger.create();
        Shepherd shepherd = shepherd(newSmall(), newLarge(), ledger, FailureMode.STRICT);
        ExecutorService pool = Executors.newFixedThreadPool(8);

        // when
        List<Future<ShepherdResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < queries; i++) {
                Query q = query(i);
                futures.add(pool.submit((Callable<ShepherdResult>) () -> shepherd.answer(q)));
            }
            List<ShepherdResult> concurrent = new ArrayList<>();
            for (Future<ShepherdResult> f : futures) {
                concurrent.add(f.get(60, TimeUnit.SECONDS));
            }

            // then
            for (ShepherdResult r : concurrent) {
                ShepherdResult expected = sequential.get(r.query().id());
                assertThat(r.text()).as("answer to %s", r.query().id()).isEqualTo(expected.text());
                assertThat(r.decision()).isEqualTo(expected.decision());
                assertThat(r.costUsd()).isEqualTo(expected.costUsd());
            }
            assertThat(ledger.entries()).hasSize(queries);
            assertThat(new HashSet<>(ledger.entries().stream().map(LedgerEntry::requestId).toList())).hasSize(queries);
        } finally {
            pool.shutdownNow();
        }
    }
}
