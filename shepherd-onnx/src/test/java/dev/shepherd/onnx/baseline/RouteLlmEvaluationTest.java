package dev.shepherd.onnx.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.onnx.SharedData;
import dev.shepherd.onnx.SharedEncoder;
import org.junit.jupiter.api.Test;

class RouteLlmEvaluationTest {

    @Test
    void should_rank_weak_model_failures_above_chance_on_the_real_trace() {
        // given
        RouteLlmTrace trace = RouteLlmTrace.read(SharedData.routeLlmTrace());

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
}
