package dev.shepherd.onnx.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.onnx.StaticFixture;
import dev.shepherd.onnx.SharedData;
import dev.shepherd.onnx.SharedEncoder;
import org.junit.jupiter.api.Test;

class RouteLlmEvaluationTest {

    @Test
    void should_rank_weak_model_failures_above_chance_on_the_real_trace() {
        // given
        dev.shepherd.trace.Trace trace = dev.shepherd.trace.RouteLlmCsv.read(SharedData.routeLlmTrace());

        // when
        RouteLlmEvaluation.Report report = RouteLlmEvaluation.of(SharedEncoder.get(), 5, 42).run(trace);
        System.out.print(report.toTable());

        // then
        assertThat(report.rows()).isEqualTo(857);
        assertThat(report.smallAccuracy()).isCloseTo(559 / 857.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(report.headAuc()).isGreaterThan(0.57);
        assertThat(report.innerCvAuc()).containsKeys("single-feature", "answer-length", "features-linear");
        assertThat(report.innerCvAuc().get("answer-length")).isGreaterThan(0.58);
        for (RouteLlmEvaluation.SharePoint p : report.points()) {
            assertThat(p.achievedShare()).isCloseTo(p.targetShare(), org.assertj.core.data.Offset.offset(0.02));
            assertThat(p.oracleAccuracy()).isGreaterThanOrEqualTo(p.headAccuracy());
        }
    }
    @Test
    void should_measure_how_much_of_the_transformers_geometry_a_static_table_keeps() {
        // given
        java.util.List<String> texts = java.util.List.of("How many have they left?", "How many are left now?",
                "The house by the water.", "Tom sold 3 houses for money.", "What time is it?", "How much water?");

        // when
        double self = RouteLlmEvaluation.similarityCorrelation(StaticFixture.source(), StaticFixture.source(), texts);
        double fast = RouteLlmEvaluation.similarityCorrelation(StaticFixture.source(), StaticFixture.encoder(), texts);

        // then
        assertThat(self).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fast).isBetween(0.3, 1.0);
    }

    @Test
    void should_print_encoders_side_by_side() {
        // given: two results (their contents do not matter for the layout)
        RouteLlmEvaluation.Report r = new RouteLlmEvaluation.Report(10, 5, 0.6, 0.8, 0.61, 0.52, 0.6, "query_length",
                0.6, java.util.List.of("single-feature"), java.util.Map.of(), 0.001, java.util.List.of());
        java.util.Map<String, Double> fixed = java.util.Map.of("embedding-linear-strong", 0.57, "embedding-narrow", 0.55);

        // when
        String table = RouteLlmEvaluation.comparisonTable(java.util.List.of(
                new RouteLlmEvaluation.EncoderResult("all-minilm-l6-v2", r, fixed),
                new RouteLlmEvaluation.EncoderResult("all-minilm-l6-v2-static", r, fixed)));

        // then
        assertThat(table.lines()).hasSize(3);
        assertThat(table).contains("all-minilm-l6-v2-static", "0.610", "0.520", "0.570", "0.550", "[single-feature]");
    }
}
