package dev.shepherd.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.policy.TierRouting;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.tier.TierPredictor;
import dev.shepherd.core.tier.Tiers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShepherdMetricsTest {

    private static final TokenPrices LARGE = TokenPrices.perMillion(1_000, 2_000);

    private final SimpleMeterRegistry simple = new SimpleMeterRegistry();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ShepherdMetrics metrics = ShepherdMetrics.create();
    private final CostLedger ledger = metrics.listenTo(CostLedger.create());

    ShepherdMetricsTest() {
        metrics.bindTo(simple);
    }

    private Shepherd.Builder shepherd(ShepherdingPolicy policy, ScriptedGenerator small, ScriptedGenerator large) {
        return Shepherd.builder().small(small).large(large).policy(policy).costModel(CostModel.localSmall(LARGE))
                .ledger(ledger);
    }

    /** The sum over every counter of that name with those tags. */
    private double count(String name, String... tags) {
        return simple.get(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void should_count_requests_by_decision_tier_and_outcome() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("slm", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("llm", "#### 2 because");
        HintPredictor hinting = metrics.timed(HintPredictor.constant(0.9, 8));

        // when: one of each decision
        shepherd(SmallOnly.create(), small, large).build().answer(Query.of("a"));
        shepherd(LargeOnly.create(), small, large).build().answer(Query.of("b"));
        shepherd(ProactiveShepherding.builder().predictor(hinting).rule(new HintDecisionRule(0.5, 32, 64)).build(),
                small, large).build().answer(Query.of("c"));

        // then
        assertThat(count("shepherd.requests", "decision", "small_only", "tier", "small", "outcome", "answered",
                "answer_tier", "small", "answer_model", "slm")).isEqualTo(1);
        assertThat(count("shepherd.requests", "decision", "large_full", "tier", "large", "outcome", "answered")).isEqualTo(1);
        assertThat(count("shepherd.requests", "decision", "hint", "tier", "small", "outcome", "answered")).isEqualTo(1);
        assertThat(count("shepherd.large.calls.avoided")).isEqualTo(1);
        assertThat(simple.get("shepherd.hint.tokens").summary().count()).isEqualTo(1);
        assertThat(simple.get("shepherd.hint.tokens").summary().totalAmount()).isPositive();
        assertThat(simple.get("shepherd.predictor.latency").tag("batch", "false").timer().count()).isEqualTo(1);
        assertThat(count("shepherd.cost", "model", "llm", "role", "large"))
                .isCloseTo(ledger.totals().costUsd(), within(1e-12));
        assertThat(count("shepherd.model.tokens", "model", "llm", "direction", "output"))
                .isEqualTo(ledger.totals().largeOutputTokens());
        assertThat(count("shepherd.model.tokens", "model", "slm", "direction", "input"))
                .isEqualTo(ledger.totals().smallInputTokens());
        assertThat(simple.get("shepherd.model.calls").tags("model", "slm", "outcome", "ok").timers())
                .isNotEmpty();
    }

    @Test
    void should_tag_requests_with_the_answering_tier_and_model_on_a_ladder() {
        // given: three tiers; the router sends the query to the middle one
        Tiers ladder = Tiers.builder()
                .tier("local", ScriptedGenerator.replying("slm", "#### 1"), TokenPrices.free())
                .tier("mid", ScriptedGenerator.replying("mid-8b", "#### 2"), TokenPrices.perMillion(100, 200))
                .tier("frontier", ScriptedGenerator.replying("llm", "#### 3"), LARGE).build();
        ShepherdingPolicy toMid = TierRouting.builder().predictor(TierPredictor.constant(0.1, 0.9, 0.99))
                .threshold(0.8).build();

        // when
        Shepherd.builder().tiers(ladder).policy(toMid).ledger(ledger).build().answer(Query.of("a"));

        // then: by role the middle tier is "large"; the new tags name the rung and its model
        assertThat(count("shepherd.requests", "tier", "large", "answer_tier", "mid", "answer_model", "mid-8b",
                "outcome", "answered")).isEqualTo(1);
        assertThat(count("shepherd.cost", "model", "mid-8b", "role", "large")).isPositive();
    }

    @Test
    void should_count_fallbacks_cap_refusals_and_failures() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("slm", "#### 1");
        ScriptedGenerator down = ScriptedGenerator.failing("llm");
        SpendCap empty = SpendCap.of(0, Duration.ofHours(1));

        // when
        shepherd(LargeOnly.create(), small, down).build().answer(Query.of("a"));
        shepherd(LargeOnly.create(), small, ScriptedGenerator.replying("llm", "x")).spendCap(empty).build()
                .answer(Query.of("b"));
        assertThatThrownBy(() -> shepherd(LargeOnly.create(), small, ScriptedGenerator.replying("llm", "x"))
                .spendCap(empty).failureMode(FailureMode.STRICT).build().answer(Query.of("c")))
                .isInstanceOf(SpendLimitExceededException.class);
        assertThatThrownBy(() -> shepherd(SmallOnly.create(), ScriptedGenerator.failing("slm"), down).build()
                .answer(Query.of("d"))).isInstanceOf(ModelCallException.class);

        // then
        assertThat(count("shepherd.fallbacks", "reason", "llm-unavailable")).isEqualTo(1);
        assertThat(count("shepherd.fallbacks", "reason", "spend-cap")).isEqualTo(1);
        assertThat(count("shepherd.spend.cap.refusals")).isEqualTo(2);
        assertThat(count("shepherd.requests", "outcome", "degraded")).isEqualTo(2);
        assertThat(simple.get("shepherd.requests").tags("outcome", "failed").counters()).hasSize(2);
        assertThat(count("shepherd.requests", "decision", "none", "outcome", "failed")).isEqualTo(2);
        assertThat(count("shepherd.requests", "outcome", "failed", "answer_tier", "none", "answer_model", "none"))
                .isEqualTo(2);
        assertThat(simple.get("shepherd.model.calls").tags("model", "llm", "outcome", "error").timer().count())
                .isEqualTo(1);
    }

    @Test
    void should_show_the_same_figures_in_a_prometheus_scrape() {
        // given: a second registry, bound before the requests (a registry bound later counts from then on)
        ScriptedGenerator small = ScriptedGenerator.replying("slm", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("llm", "#### 2 because");
        SpendCap cap = SpendCap.of(100, Duration.ofHours(1));
        metrics.bindTo(prometheus);
        metrics.monitor("chat", cap);

        // when
        shepherd(LargeOnly.create(), small, large).spendCap(cap).build().answer(Query.of("a"));
        shepherd(SmallOnly.create(), small, large).spendCap(cap).build().answer(Query.of("b"));
        String scrape = prometheus.scrape();

        // then
        assertThat(simple.get("shepherd.requests").counters()).hasSize(2);
        assertThat(scrape).contains("# TYPE shepherd_requests_total counter")
                .containsPattern("shepherd_requests_total\\{answer_model=\"llm\",answer_tier=\"large\","
                        + "decision=\"large_full\",outcome=\"answered\",policy=\"llm-only\",tier=\"large\"} 1\\.0")
                .containsPattern("shepherd_requests_total\\{answer_model=\"slm\",answer_tier=\"small\","
                        + "decision=\"small_only\",outcome=\"answered\",policy=\"slm-only\",tier=\"small\"} 1\\.0")
                .containsPattern("shepherd_cost_usd_total\\{model=\"llm\",role=\"large\"} 0\\.0\\d+")
                .containsPattern("shepherd_model_tokens_total\\{direction=\"output\",model=\"llm\",role=\"large\"} \\d+")
                .contains("shepherd_large_calls_avoided_total 1.0")
                .contains("shepherd_spend_cap_refusals_total 0.0")
                .contains("shepherd_spend_cap_limit_usd{cap=\"chat\"} 100.0")
                .containsPattern("shepherd_spend_cap_spent_usd\\{cap=\"chat\"} 0\\.0\\d*[1-9]")
                .contains("shepherd_model_calls_seconds_count{model=\"slm\",outcome=\"ok\",purpose=\"answer\",role=\"small\"} 1");
    }
}
