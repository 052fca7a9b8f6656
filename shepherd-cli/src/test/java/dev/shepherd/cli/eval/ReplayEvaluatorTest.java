package dev.shepherd.cli.eval;

import dev.shepherd.cli.trace.RouteLlmTrace;
import dev.shepherd.cli.trace.TraceRow;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplayEvaluatorTest {

    /** One token per character: makes every expected cost computable by hand. */
    static final TokenCounter CHARS = new TokenCounter() {
        @Override
        public String name() {
            return "chars";
        }

        @Override
        public int count(String text) {
            return text.length();
        }
    };

    // LLM: $1 per M input, $2 per M output; SLM free.
    static final CostModel PRICES = CostModel.localSmall(TokenPrices.perMillion(1_000_000, 2_000_000));

    // Query lengths 1; LLM outputs 1,2,3,4 chars -> LLM costs 1+2=3, 1+4=5, 1+6=7, 1+8=9 (USD, by the prices above).
    static final RouteLlmTrace TRACE = new RouteLlmTrace("t.csv", "weak", "strong", List.of(
            new TraceRow("a", true, true, "x", "y", 2),
            new TraceRow("b", false, true, "x", "yy", 3),
            new TraceRow("c", false, false, "x", "yyy", 4),
            new TraceRow("d", true, false, "x", "yyyy", 5)));

    @Test
    void should_compute_baselines_and_oracle_exactly() {
        // when
        EvalReport r = new ReplayEvaluator(CHARS, PRICES, 0.5).evaluate(TRACE, null);
        // then
        assertThat(r.strategy("slm-only").orElseThrow().accuracy()).isEqualTo(0.5);
        assertThat(r.strategy("slm-only").orElseThrow().costUsd()).isEqualTo(0.0);
        StrategyResult llm = r.strategy("llm-only").orElseThrow();
        assertThat(llm.accuracy()).isEqualTo(0.5);
        assertThat(llm.costUsd()).isCloseTo(24.0, within(1e-9));
        StrategyResult oracle = r.strategy("oracle-routing").orElseThrow();
        assertThat(oracle.accuracy()).isEqualTo(0.75); // only row b is routed
        assertThat(oracle.costUsd()).isCloseTo(5.0, within(1e-9));
        assertThat(oracle.largeCalls()).isEqualTo(1);
        assertThat(r.tokenizer()).isEqualTo("chars");
    }

    @Test
    void should_give_random_routing_as_exact_expected_value_at_the_default_share() {
        // when
        EvalReport r = new ReplayEvaluator(CHARS, PRICES, 0.25).evaluate(TRACE, null);
        // then
        StrategyResult random = r.strategy("random-routing").orElseThrow();
        assertThat(random.costUsd()).isCloseTo(6.0, within(1e-9));
        assertThat(random.largeCalls()).isEqualTo(1.0);
        assertThat(random.curve()).hasSizeGreaterThanOrEqualTo(21);
        assertThat(r.notes()).anyMatch(n -> n.contains("default LLM-call share 0.25"));
        assertThat(r.notComputable()).extracting(NotComputable::name)
                .contains("routing", "proactive-shepherding", "reactive-shepherding", "agreement-cascade");
    }

    @Test
    void should_sweep_routing_thresholds_and_match_random_share_to_routing() {
        // given: the router ranks b highest, then c
        RoutingScores scores = new RoutingScores("test", new double[] {0.1, 0.9, 0.6, 0.2}, OptionalDouble.of(0.5));
        // when
        EvalReport r = new ReplayEvaluator(CHARS, PRICES, 0.5).evaluate(TRACE, scores);
        // then: threshold 0.5 routes b and c
        StrategyResult routing = r.strategy("routing").orElseThrow();
        assertThat(routing.largeCalls()).isEqualTo(2);
        assertThat(routing.costUsd()).isCloseTo(12.0, within(1e-9));
        assertThat(routing.accuracy()).isEqualTo(0.75);
        assertThat(routing.curve()).hasSize(5);
        assertThat(routing.curve().get(1).costUsd()).isCloseTo(5.0, within(1e-9));
        assertThat(r.strategy("random-routing").orElseThrow().largeCalls()).isEqualTo(2.0);
        assertThat(r.notComputable()).extracting(NotComputable::name).doesNotContain("routing");
    }

    @Test
    void should_derive_ace_cost_reduction_and_min_cost_from_core_metrics() {
        // given: A_s = 0.6, A_l = 1.0, C_l = 10
        Scores scores = new Scores(0.6, 1.0, 10.0);
        // when / then
        assertThat(scores.ace(0.8, 2.5).getAsDouble()).isCloseTo(2.0, within(1e-12));
        assertThat(scores.costReduction(2.5).getAsDouble()).isCloseTo(0.75, within(1e-12));
        assertThat(scores.minCostToTarget(StrategyResult.point("x", 0.85, 3, 1, 0, ""))).isEmpty();
        assertThat(scores.minCostToTarget(StrategyResult.point("y", 0.9, 3, 1, 0, "")).getAsDouble()).isEqualTo(3.0);
        assertThat(new Scores(0.5, 0.5, 1).ace(0.5, 1)).isEmpty();
    }
}
