package dev.shepherd.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.answer.QualityFunction;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.metrics.Metrics;
import dev.shepherd.core.metrics.ScoreRecorder;
import dev.shepherd.core.metrics.StrategyScore;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.policy.OracleRouting;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallOnly;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the snippets of shepherd-core/README.md compiling and working; copy changes both ways. */
class ReadmeExampleTest {

    // --- README: "Answer a query" ---
    static ShepherdResult answer(Generator small, Generator large, HintPredictor predictor) {
        Shepherd shepherd = Shepherd.builder()
                .small(small)                                   // a local model, via an adapter module
                .large(large)                                   // a paid API model
                .policy(ReactiveShepherding.builder()
                        .predictor(predictor)                   // e.g. shepherd-onnx's trained predictor
                        .rule(HintDecisionRule.paperGsm8k())    // α = 0.228, η_hint = 58, N_max = 512
                        .build())
                .template(PromptTemplate.paper("Solve the problem. End with '#### <number>'."))
                .extractor(AnswerExtractor.math())
                .costModel(CostModel.localSmall(TokenPrices.paperLlama70b()))
                .spendCap(SpendCap.of(5.00, Duration.ofHours(1)))
                .build();

        ShepherdResult result = shepherd.answer(Query.of("gsm8k-1", "Natalia sold 48 clips in April and half "
                + "as many in May. How many clips did she sell in total?", "72"));
        System.out.printf("%s via %s for $%.6f%n", result.text(), result.decision(), result.costUsd());
        return result;
    }

    // --- README: "Compare strategies" ---
    static List<StrategyScore> compare(Shepherd base, List<Query> testSet, List<ShepherdingPolicy> policies) {
        QualityFunction phi = QualityFunction.exactMatch(AnswerExtractor.math());
        List<StrategyScore> scores = new java.util.ArrayList<>();
        for (ShepherdingPolicy policy : policies) {
            Shepherd shepherd = base.toBuilder().policy(policy).build();
            ScoreRecorder recorder = ScoreRecorder.named(policy.name());
            for (Query q : testSet) {
                ShepherdResult r = shepherd.answer(q);
                recorder.record(r, phi.score(q, r.text()) >= 1.0);
            }
            scores.add(recorder.snapshot());
        }
        StrategyScore slm = scores.get(0);
        StrategyScore llm = scores.get(1);
        for (StrategyScore s : scores.subList(2, scores.size())) {
            System.out.printf("%-22s acc %.3f  cost $%.6f  saved %.0f%%  ACE %.2f%n", s.name(), s.accuracy(),
                    s.costUsd(), 100 * Metrics.costReduction(s, llm), Metrics.ace(s, slm, llm));
        }
        return scores;
    }

    @Test
    void should_run_the_answer_snippet() {
        // given: samples disagree, the predictor asks for a 5-token hint
        ScriptedGenerator small = ScriptedGenerator.replying("small", "#### 70", "#### 71", "#### 73", "So #### 72");
        ScriptedGenerator large = ScriptedGenerator.replying("large", "In May she sold 48 / 2 = 24 clips, so 48 + 24 = 72.");

        // when
        ShepherdResult r = answer(small, large, HintPredictor.constant(0.9, 5));

        // then
        assertThat(r.decision()).isEqualTo(Decision.hint(5));
        assertThat(r.text()).isEqualTo("So #### 72");
        assertThat(r.costUsd()).isPositive();
    }

    @Test
    void should_run_the_compare_snippet() {
        // given: the small model is right on even queries only, the large one always
        ScriptedGenerator small = ScriptedGenerator.answering("small", req -> {
            int n = Integer.parseInt(req.messages().get(0).text().replaceAll("\\D", ""));
            return "#### " + (n % 2 == 0 ? n : n + 1);
        });
        ScriptedGenerator large = ScriptedGenerator.answering("large",
                req -> "#### " + req.messages().get(0).text().replaceAll("\\D", ""));
        Shepherd base = Shepherd.builder().small(small).large(large).policy(SmallOnly.create())
                .costModel(CostModel.localSmall(TokenPrices.paperLlama70b())).extractor(AnswerExtractor.math())
                .build();
        List<Query> testSet = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> Query.of("q" + i, "Echo " + i, String.valueOf(i))).toList();
        java.util.Map<String, Integer> labels = new java.util.HashMap<>();
        testSet.forEach(q -> labels.put(q.id(), Integer.parseInt(q.gold()) % 2 == 0 ? 0 : 3));

        // when
        List<StrategyScore> scores = compare(base, testSet, List.of(SmallOnly.create(),
                LargeOnly.create(), OracleRouting.builder().minimumHintTokens(labels).build()));

        // then: the oracle is as accurate as the large model for half its cost
        assertThat(scores.get(0).accuracy()).isEqualTo(0.5);
        assertThat(scores.get(2).accuracy()).isEqualTo(1.0);
        assertThat(Metrics.ace(scores.get(2), scores.get(0), scores.get(1))).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
