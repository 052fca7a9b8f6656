package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.trace.Outcome;
import dev.shepherd.trace.Response;
import dev.shepherd.trace.Sample;
import dev.shepherd.trace.SyntheticLadder;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    static final Trace TRACE = two(List.of(
            row("a", true, true, "x", "y"),
            row("b", false, true, "x", "yy"),
            row("c", false, false, "x", "yyy"),
            row("d", true, false, "x", "yyyy")));

    private static TraceRecord row(String q, boolean small, boolean large, String smallText, String largeText) {
        Map<String, Response> m = new LinkedHashMap<>();
        m.put("weak", Response.of(smallText, small));
        m.put("strong", Response.of(largeText, large));
        return new TraceRecord("id-" + q, q, null, m, 0);
    }

    private static Trace two(List<TraceRecord> rows) {
        return new Trace("t.csv", List.of("weak", "strong"), rows);
    }

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
        assertThat(r.ladder()).isEmpty();
        assertThat(r.smallModel()).isEqualTo("weak");
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
                .contains("routing", "proactive-shepherding", "reactive-shepherding", "agreement-cascade",
                        "confidence-cascade");
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
        assertThat(scores.apgr(StrategyResult.point("z", 0.8, 1, 1, 0, ""))).isEmpty(); // no query count
    }

    // ---- three models, four queries: every number below is worked out by hand --------------------------------
    // Costs per call (1 input and 1 output token recorded): A free, B $1 + $1 = $2, C $1 + $4 = $5.
    // Grades:  q1 A✓ B✓ C✓ | q2 A✗ B✓ C✓ | q3 A✗ B✗ C✓ | q4 A✗ B✗ C✗

    private static Trace three() {
        boolean[][] ok = {{true, true, true}, {false, true, true}, {false, false, true}, {false, false, false}};
        List<TraceRecord> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Response> m = new LinkedHashMap<>();
            m.put("C", Response.of("c", ok[i][2]).withTokens(1, 1)); // file order differs from price order
            m.put("A", Response.of("a", ok[i][0]).withTokens(1, 1));
            m.put("B", Response.of("b", ok[i][1]).withTokens(1, 1));
            rows.add(new TraceRecord("q" + (i + 1), "q", null, m, i + 1));
        }
        return new Trace("three.jsonl", List.of("C", "A", "B"), rows);
    }

    private static ReplayEvaluator threeModels() {
        return ReplayEvaluator.builder(CHARS).price("A", TokenPrices.free(), "--price")
                .price("B", TokenPrices.perMillion(1_000_000, 1_000_000), "--price")
                .price("C", TokenPrices.perMillion(1_000_000, 4_000_000), "--price").build();
    }

    @Test
    void should_replay_each_model_alone_and_the_oracle_over_a_price_ladder() {
        // when
        EvalReport r = threeModels().evaluate(three(), null, null);
        // then: the ladder is in price order whatever the file order
        assertThat(r.ladder()).extracting(LadderModel::name).containsExactly("A", "B", "C");
        assertThat(r.floorStrategy()).isEqualTo("only:A");
        assertThat(r.referenceStrategy()).isEqualTo("only:C");
        assertThat(r.tokenizer()).isEqualTo("recorded in the trace");
        assertThat(r.strategies()).extracting(StrategyResult::name).startsWith("only:A", "only:B", "only:C",
                "oracle-routing", "random-routing");
        assertThat(r.strategy("only:B").orElseThrow().accuracy()).isEqualTo(0.5);
        assertThat(r.strategy("only:B").orElseThrow().costUsd()).isCloseTo(8, within(1e-9));
        assertThat(r.strategy("only:C").orElseThrow().costUsd()).isCloseTo(20, within(1e-9));
        // oracle: q1 -> A ($0), q2 -> B ($2), q3 -> C ($5), q4 nobody right -> the cheapest, A
        StrategyResult oracle = r.strategy("oracle-routing").orElseThrow();
        assertThat(oracle.accuracy()).isEqualTo(0.75);
        assertThat(oracle.costUsd()).isCloseTo(7, within(1e-9));
        assertThat(oracle.largeCalls()).isEqualTo(1);
        assertThat(oracle.modelCalls()).containsExactly(Map.entry("A", 2.0), Map.entry("B", 1.0), Map.entry("C", 1.0));
        // its metrics against floor A (.25, $0) and reference C (.75, $20)
        Scores s = r.scores();
        assertThat(s.ace(oracle.accuracy(), oracle.costUsd()).getAsDouble()).isCloseTo(1 / 0.35, within(1e-9));
        assertThat(s.apgr(oracle).getAsDouble()).isCloseTo(0.875, within(1e-9));     // (0,0)–(.25,1)–(1,1)
        assertThat(s.cpt(oracle, 0.5).getAsDouble()).isCloseTo(0.125, within(1e-9));
        assertThat(s.ibcLift(oracle).getAsDouble()).isCloseTo(1 / 0.35 - 1, within(1e-9)); // free floor: ACE − 1
    }

    @Test
    void should_give_random_routing_over_n_models_as_a_uniform_mix_with_the_zero_router_curve() {
        // when
        StrategyResult random = threeModels().evaluate(three(), null, null).strategy("random-routing").orElseThrow();
        // then: uniform: accuracy (.25 + .5 + .75)/3, cost (0 + 8 + 20)/3
        assertThat(random.accuracy()).isCloseTo(0.5, within(1e-9));
        assertThat(random.costUsd()).isCloseTo(28 / 3.0, within(1e-9));
        assertThat(random.largeCalls()).isCloseTo(4 / 3.0, within(1e-9));
        // the hull A -> B (slope .25/8) -> C (slope .25/12): 1 + 10 + 10 points, ends at C alone
        assertThat(random.curve()).hasSize(21);
        CurvePoint last = random.curve().get(20);
        assertThat(last.accuracy()).isCloseTo(0.75, within(1e-9));
        assertThat(last.largeCalls()).isCloseTo(4, within(1e-9));
        assertThat(random.curve().get(10).accuracy()).isCloseTo(0.5, within(1e-9)); // B alone
    }

    @Test
    void should_replay_the_n_way_router_and_compare_random_routing_at_its_mix() {
        // given: probabilities that make the router at lambda 0.5 route like the oracle
        double[][] p = {{0.9, 0.9, 0.9}, {0.1, 0.9, 0.9}, {0.1, 0.1, 0.9}, {0.1, 0.1, 0.1}};
        RouterScores router = new RouterScores("fake", List.of("A", "B", "C"), p, new double[] {1, 1, 1}, 0.5, "");
        // when
        EvalReport r = threeModels().evaluate(three(), null, router);
        // then: estimated costs A 0, B 2, C 5 (scale: C's mean 5): q1 A (.9 vs .7 vs .4), q2 B, q3 C, q4 A
        StrategyResult routing = r.strategy("routing").orElseThrow();
        assertThat(routing.accuracy()).isEqualTo(0.75);
        assertThat(routing.costUsd()).isCloseTo(7, within(1e-9));
        assertThat(routing.curve()).hasSize(82);
        assertThat(routing.curve().get(0).accuracy()).isEqualTo(0.75); // lambda 0: the most likely model, ties cheapest
        // random routing with the router's mix: A 1/2, B 1/4, C 1/4
        StrategyResult random = r.strategy("random-routing").orElseThrow();
        assertThat(random.accuracy()).isCloseTo(0.5 * 0.25 + 0.25 * 0.5 + 0.25 * 0.75, within(1e-9));
        assertThat(random.costUsd()).isCloseTo(7, within(1e-9));
        assertThat(r.notComputable()).extracting(NotComputable::name).doesNotContain("routing");
        // at $7 the zero router mixes A ($0, .25) and B ($8, .5): .25 + 7/8 · .25
        assertThat(r.notes()).contains("routing vs random at equal cost: routing 75.0 % at $7.0000; the random-routing "
                + "curve reaches 46.9 % at that cost");
    }

    @Test
    void should_refuse_a_router_of_other_models_and_models_without_prices() {
        RouterScores other = new RouterScores("fake", List.of("A", "B", "X"), new double[4][3], new double[3], 0, "");
        assertThatThrownBy(() -> threeModels().evaluate(three(), null, other))
                .hasMessageContaining("routes among [A, B, X] but the trace's models are [C, A, B]");
        ReplayEvaluator partial = ReplayEvaluator.builder(CHARS).price("A", TokenPrices.free(), "--price").build();
        assertThatThrownBy(() -> partial.evaluate(three(), null, null)).hasMessageContaining("no prices for model(s) [C, B]");
    }

    @Test
    void should_replay_the_agreement_cascade_from_recorded_samples() {
        // given: samples of the small model cost $1 + $1 = $2 each; the large model's answer $1 + $4 = $5
        Map<String, Response> r1 = new LinkedHashMap<>();
        r1.put("s", Response.of("s", true).withTokens(1, 1).withSamples(samples("4", "4", "4", 1, 1, 1)));
        r1.put("l", Response.of("l", true).withTokens(1, 1));
        Map<String, Response> r2 = new LinkedHashMap<>();
        r2.put("s", Response.of("s", false).withTokens(1, 1).withSamples(samples("5", "6", "5", 1, 0, 1)));
        r2.put("l", Response.of("l", true).withTokens(1, 1));
        Trace t = new Trace("t", List.of("s", "l"), List.of(new TraceRecord("1", "q", null, r1, 1),
                new TraceRecord("2", "q", null, r2, 2)));
        ReplayEvaluator e = ReplayEvaluator.builder(CHARS).price("s", TokenPrices.perMillion(1e6, 1e6), "--price")
                .price("l", TokenPrices.perMillion(1e6, 4e6), "--price").agreement(3).build();
        // when
        StrategyResult cascade = e.evaluate(t, null, null).strategy("agreement-cascade").orElseThrow();
        // then: k = 3: q1 agrees (3 x $2); q2 does not: 3 x $2 + $5
        assertThat(cascade.accuracy()).isEqualTo(1.0);
        assertThat(cascade.costUsd()).isCloseTo(17, within(1e-9));
        assertThat(cascade.largeCalls()).isEqualTo(1);
        // k = 2 (curve): q2 agrees on "5", the first such sample (right)
        CurvePoint k2 = cascade.curve().get(1);
        assertThat(k2.parameter()).isEqualTo(2);
        assertThat(k2.costUsd()).isCloseTo(12, within(1e-9));
        assertThat(k2.largeCalls()).isZero();
    }

    private static List<Sample> samples(String a, String b, String c, int qa, int qb, int qc) {
        return List.of(new Sample(a, a, Outcome.correct(qa == 1), 1L, 1L), new Sample(b, b, Outcome.correct(qb == 1), 1L, 1L),
                new Sample(c, c, Outcome.correct(qc == 1), 1L, 1L));
    }

    @Test
    void should_replay_the_confidence_cascade_from_recorded_confidences() {
        // given: confidences .9 (right) and .3 (wrong) of the cheap model, $2 per answer; the large one $5
        Map<String, Response> r1 = new LinkedHashMap<>();
        r1.put("s", Response.of("s", true).withTokens(1, 1).withConfidence(0.9));
        r1.put("l", Response.of("l", true).withTokens(1, 1));
        Map<String, Response> r2 = new LinkedHashMap<>();
        r2.put("s", Response.of("s", false).withTokens(1, 1).withConfidence(0.3));
        r2.put("l", Response.of("l", true).withTokens(1, 1));
        Trace t = new Trace("t", List.of("s", "l"), List.of(new TraceRecord("1", "q", null, r1, 1),
                new TraceRecord("2", "q", null, r2, 2)));
        ReplayEvaluator e = ReplayEvaluator.builder(CHARS).price("s", TokenPrices.perMillion(1e6, 1e6), "--price")
                .price("l", TokenPrices.perMillion(1e6, 4e6), "--price").confidenceThreshold(0.8).build();
        // when
        StrategyResult cascade = e.evaluate(t, null, null).strategy("confidence-cascade").orElseThrow();
        // then: q1 accepted ($2); q2 escalated ($2 + $5)
        assertThat(cascade.accuracy()).isEqualTo(1.0);
        assertThat(cascade.costUsd()).isCloseTo(9, within(1e-9));
        assertThat(cascade.largeCalls()).isEqualTo(1);
        assertThat(cascade.curve()).hasSize(3); // thresholds .3, .9 and above .9
        assertThat(cascade.curve().get(2).costUsd()).isCloseTo(14, within(1e-9));
    }

    @Test
    void should_replay_every_strategy_on_the_simulated_four_model_ladder() {
        // given: a SIMULATION (SyntheticLadder), prices rising with skill
        Trace t = SyntheticLadder.generate(400, 7, true);
        ReplayEvaluator.Builder b = ReplayEvaluator.builder(TokenCounter.cl100k());
        for (int j = 0; j < 4; j++) {
            b.price(SyntheticLadder.MODELS.get(j), TokenPrices.perMillion(SyntheticLadder.PRICES[j][0],
                    SyntheticLadder.PRICES[j][1]), "--price");
        }
        // when
        EvalReport r = b.build().evaluate(t, null, null);
        // then
        assertThat(r.ladder()).extracting(LadderModel::name).containsExactlyElementsOf(SyntheticLadder.MODELS);
        assertThat(r.ladder().get(0).tokensCounted()).isEqualTo(400); // its answers (its samples record theirs)
        assertThat(r.tokenizer()).startsWith("counted with cl100k_base where the trace has none (tiny-1b: 400");
        assertThat(r.strategies()).extracting(StrategyResult::name).contains("only:frontier", "oracle-routing",
                "random-routing", "agreement-cascade", "confidence-cascade");
        double[] acc = SyntheticLadder.MODELS.stream()
                .mapToDouble(m -> r.strategy("only:" + m).orElseThrow().accuracy()).toArray();
        assertThat(acc[0]).isLessThan(acc[1]);
        assertThat(acc[1]).isLessThan(acc[2]);
        assertThat(acc[2]).isLessThan(acc[3]);
        assertThat(r.strategy("oracle-routing").orElseThrow().accuracy()).isGreaterThan(acc[3]);
        Scores s = r.scores();
        for (StrategyResult x : r.strategies()) {
            assertThat(s.apgr(x)).as(x.name()).isPresent();
            assertThat(s.cpt(x, 0.8)).as(x.name()).isPresent();
        }
    }
}
