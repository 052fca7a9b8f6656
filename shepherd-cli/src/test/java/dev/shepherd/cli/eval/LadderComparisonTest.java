package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The ladder against its best two-model pair, on a three-model trace worked out by hand. */
class LadderComparisonTest {

    // Costs per call (1 input and 1 output token): A free, B $2, C $5. Floor A (.25, $0), reference C (.75, $20);
    // 90 % of C's accuracy = .675.
    //          grade         confidence (A, B)
    //   q1   A✓ B✓ C✓        .9 .9
    //   q2   A✗ B✓ C✓        .9 .9
    //   q3   A✗ B✗ C✓        .1 .1
    //   q4   A✗ B✗ C✗        .1 .9
    private static Trace trace() {
        boolean[][] ok = {{true, true, true}, {false, true, true}, {false, false, true}, {false, false, false}};
        double[][] conf = {{.9, .9}, {.9, .9}, {.1, .1}, {.1, .9}};
        List<TraceRecord> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Response> m = new LinkedHashMap<>();
            m.put("A", Response.of("a", ok[i][0]).withTokens(1, 1).withConfidence(conf[i][0]));
            m.put("B", Response.of("b", ok[i][1]).withTokens(1, 1).withConfidence(conf[i][1]));
            m.put("C", Response.of("c", ok[i][2]).withTokens(1, 1));
            rows.add(new TraceRecord("q" + (i + 1), "q", null, m, i + 1));
        }
        return new Trace("three.jsonl", List.of("A", "B", "C"), rows);
    }

    private static ReplayEvaluator evaluator() {
        return ReplayEvaluator.builder(ReplayEvaluatorTest.CHARS).price("A", TokenPrices.free(), "--price")
                .price("B", TokenPrices.perMillion(1_000_000, 1_000_000), "--price")
                .price("C", TokenPrices.perMillion(1_000_000, 4_000_000), "--price").confidenceThreshold(0.8).build();
    }

    @Test
    void should_choose_the_pair_reaching_90_percent_of_the_reference_at_the_least_cost() {
        // when
        EvalReport r = evaluator().evaluate(trace(), null, null);
        LadderComparison c = r.ladderComparison().orElseThrow();
        // then: the three pairs in ladder order; none has a router, so each has its confidence cascade and oracle
        assertThat(c.pairs()).extracting(LadderComparison.Pair::label).containsExactly("A -> B", "A -> C", "B -> C");
        // A -> B never reaches .675; A -> C's cascade reaches it only sending all to C ($20, through A: $0 each);
        // B -> C's cascade: q1 B ✓ $2, q2 B ✓ $2, q3 B then C ✓ $7, q4 B ✗ $2 = .75 at $13
        assertThat(c.cheaper()).isEqualTo("B");
        assertThat(c.dearer()).isEqualTo("C");
        StrategyResult pairCascade = row(c, LadderComparison.BEST_PAIR, "confidence-cascade");
        assertThat(pairCascade.accuracy()).isEqualTo(0.75);
        assertThat(pairCascade.costUsd()).isCloseTo(13, within(1e-9));
        assertThat(pairCascade.largeCalls()).isEqualTo(1);
        assertThat(r.scores().ace(pairCascade.accuracy(), pairCascade.costUsd()).getAsDouble())
                .isCloseTo(20 / 13.0, within(1e-9)); // full gap at 13/20 of C's cost
        assertThat(r.scores().minCostToTarget(pairCascade).getAsDouble()).isCloseTo(13, within(1e-9));
        // the pair's oracle: q1 B, q2 B, q3 C, q4 nobody right -> B: .75 at $11
        StrategyResult pairOracle = row(c, LadderComparison.BEST_PAIR, "oracle-routing");
        assertThat(pairOracle.costUsd()).isCloseTo(11, within(1e-9));
        // the ladder's cascade: q1 A ✓ $0, q2 A ✗ $0, q3 A, B then C ✓ $7, q4 A then B ✗ $2 = .5 at $9;
        // reaching .675 takes sending all up the ladder ($28): the pair beats the three tiers here
        StrategyResult ladderCascade = row(c, LadderComparison.LADDER, "confidence-cascade");
        assertThat(ladderCascade.accuracy()).isEqualTo(0.5);
        assertThat(ladderCascade.costUsd()).isCloseTo(9, within(1e-9));
        assertThat(r.scores().minCostToTarget(ladderCascade).getAsDouble()).isCloseTo(28, within(1e-9));
        assertThat(c.rows()).extracting(x -> x.side() + " " + x.result().name()).containsExactly(
                "ladder confidence-cascade", "ladder oracle-routing", "best pair confidence-cascade",
                "best pair oracle-routing");
        assertThat(c.notComputable()).extracting(NotComputable::name).contains("agreement-cascade", "routing");
    }

    @Test
    void should_count_only_calls_to_the_ladders_most_expensive_model_as_reference_calls() {
        // when
        LadderComparison c = evaluator().evaluate(trace(), null, null).ladderComparison().orElseThrow();
        // then: A -> B's oracle sends q2 to B, which is not the ladder's reference
        StrategyResult oracle = c.pairs().get(0).strategies().stream()
                .filter(s -> s.name().equals("oracle-routing")).findFirst().orElseThrow();
        assertThat(oracle.accuracy()).isEqualTo(0.5);
        assertThat(oracle.costUsd()).isCloseTo(2, within(1e-9));
        assertThat(oracle.largeCalls()).isZero();
        assertThat(oracle.modelCalls()).containsExactly(Map.entry("A", 3.0), Map.entry("B", 1.0));
    }

    @Test
    void should_restrict_the_n_way_router_to_each_pair() {
        // given: success probabilities per model; lambda .5, one output token expected from each model
        double[][] p = {{0.9, 0.9, 0.9}, {0.1, 0.9, 0.9}, {0.1, 0.1, 0.9}, {0.1, 0.1, 0.1}};
        RouterScores router = new RouterScores("fake", List.of("A", "B", "C"), p, new double[] {1, 1, 1}, 0.5, "");
        // when
        LadderComparison c = evaluator().evaluate(trace(), null, router).ladderComparison().orElseThrow();
        // then: A -> C, cost unit C's $5: q1 A (.9 vs .4), q2 C (.1 vs .4), q3 C, q4 A (.1 vs -.4): .75 at $10,
        // cheaper than B -> C's router (q1, q2, q4 B, q3 C: .75 at $11) and its cascade ($13)
        assertThat(c.cheaper() + " -> " + c.dearer()).isEqualTo("A -> C");
        StrategyResult routing = row(c, LadderComparison.BEST_PAIR, "routing");
        assertThat(routing.accuracy()).isEqualTo(0.75);
        assertThat(routing.costUsd()).isCloseTo(10, within(1e-9));
        assertThat(routing.modelCalls()).containsExactly(Map.entry("A", 2.0), Map.entry("C", 2.0));
        assertThat(routing.note()).contains("restricted to A and C");
        StrategyResult bc = c.pairs().get(2).strategies().stream().filter(s -> s.name().equals("routing"))
                .findFirst().orElseThrow();
        assertThat(bc.costUsd()).isCloseTo(11, within(1e-9));
        assertThat(row(c, LadderComparison.LADDER, "routing").costUsd()).isCloseTo(7, within(1e-9));
    }

    @Test
    void should_leave_two_model_reports_without_a_comparison() {
        assertThat(new ReplayEvaluator(ReplayEvaluatorTest.CHARS, ReplayEvaluatorTest.PRICES, 0.5)
                .evaluate(ReplayEvaluatorTest.TRACE, null)
                .ladderComparison()).isEmpty();
    }

    private static StrategyResult row(LadderComparison c, String side, String name) {
        return c.rows().stream().filter(x -> x.side().equals(side) && x.result().name().equals(name))
                .map(LadderComparison.Row::result).findFirst().orElseThrow();
    }
}
