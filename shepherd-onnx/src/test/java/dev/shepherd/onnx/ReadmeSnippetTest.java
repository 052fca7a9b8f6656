package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.policy.ProactiveShepherding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's usage snippet, kept compiling and running. */
class ReadmeSnippetTest {

    @TempDir
    Path tmp;

    @Test
    void should_run_the_readme_snippet() {
        // given
        Path labels = tmp.resolve("labels.jsonl");
        LabelFile.write(labels, Synthetic.records(60, 21));
        Path bundleDir = tmp.resolve("bundle");

        // when: the README snippet, verbatim
        try (TextEncoder encoder = TextEncoder.miniLm()) {
            List<LabelRecord> records = LabelFile.read(labels);
            TrainedPredictor trained = PredictorTrainer.builder(encoder)
                    .featureNames(List.of(Features.QUERY_LENGTH, Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH))
                    .seed(42).build()
                    .train(records.stream().filter(LabelRecord::keep).map(LabelRecord::toExample).toList());
            List<LabelRecord> validation = records.stream()
                    .filter(r -> trained.validationIds().contains(r.id())).toList();
            Calibration calibration = Calibration.builder().records(validation).predictor(trained)
                    .costModel(CostModel.localSmall(TokenPrices.paperLlama70b())).build();
            CalibrationResult cheapest = calibration.minimiseCost(0.9 * calibration.llmOnly().accuracy());
            trained.withDecisionRule(cheapest.rule()).export(bundleDir);
        }
        try (OnnxHintPredictor predictor = OnnxHintPredictor.load(bundleDir)) {
            HintPrediction p = predictor.predict(Query.of("Natalia sold clips to 48 of her friends in April, and then"
                            + " she sold half as many clips in May. How many clips did Natalia sell altogether?"),
                    Features.of(Map.of(Features.MEAN_ENTROPY, 0.41, Features.MEAN_OUTPUT_LENGTH, 150.0)));
            Decision d = predictor.decisionRule().decide(p);
            // reactive features are supplied by core's ReactiveShepherding; proactive bundles need none:
            ProactiveShepherding policy = ProactiveShepherding.of(predictor, predictor.decisionRule());

            // then
            assertThat(p.needProbability()).isBetween(0.0, 1.0);
            assertThat(d).isNotNull();
            assertThat(policy).isNotNull();
            assertThat(predictor.metadata().featureNames()).contains(Features.MEAN_ENTROPY);
        }
    }
}
