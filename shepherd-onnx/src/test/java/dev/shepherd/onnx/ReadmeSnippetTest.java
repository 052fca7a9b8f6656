package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.SampleFeatures.EntropySource;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.onnx.training.Calibration;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.Synthetic;
import dev.shepherd.onnx.training.TrainedPredictor;
import java.nio.file.Path;
import java.util.ArrayList;
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
            List<LabeledExample> examples = records.stream().filter(LabelRecord::keep).map(LabelRecord::toExample)
                    .toList();
            PredictorTrainer queryOnly = PredictorTrainer.builder(encoder).seed(42).build();
            TrainedPredictor proactive = queryOnly.train(examples);
            List<String> withSamples = new ArrayList<>(queryOnly.featureNames());
            withSamples.addAll(List.of(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH));
            TrainedPredictor reactive = PredictorTrainer.builder(encoder).featureNames(withSamples).seed(42).build()
                    .train(examples).withEntropy(LabelRecord.ENTROPY_TOKEN);
            proactive.export(bundleDir); // heads.onnx and the encoder
            reactive.export(bundleDir);  // heads-reactive.onnx
            List<LabelRecord> validation = records.stream()
                    .filter(r -> proactive.validationIds().contains(r.id())).toList();
            CostModel prices = CostModel.localSmall(TokenPrices.paperLlama70b());
            BundleCalibration calibrated = BundleCalibration.empty();
            for (PredictorUse use : PredictorUse.values()) {
                Calibration c = Calibration.builder().records(validation).use(use).costModel(prices)
                        .predictor(use == PredictorUse.REACTIVE ? reactive : proactive).build();
                calibrated = calibrated.with(use, c.cheapestReaching(0.9, 1.0));
            }
            PredictorBundle.at(bundleDir).writeCalibration(calibrated);
        }
        try (OnnxHintPredictor predictor = OnnxHintPredictor.load(bundleDir)) { // logs each use's rule and source
            HintDecisionRule rule = predictor.decisionRule(); // proactive's calibrated rule: ruleSource(PROACTIVE)
            ShepherdingPolicy proactive = ProactiveShepherding.builder()
                    .predictor(predictor.forUse(PredictorUse.PROACTIVE)).rule(predictor.rule(PredictorUse.PROACTIVE)).build();
            ShepherdingPolicy reactive = ReactiveShepherding.builder()
                    .predictor(predictor.forUse(PredictorUse.REACTIVE)).rule(predictor.rule(PredictorUse.REACTIVE))
                    .agreement(predictor.calibration().entry(PredictorUse.REACTIVE).orElseThrow().agreement())
                    .entropySource(EntropySource.TOKEN).build();
            HintPrediction p = predictor.forUse(PredictorUse.REACTIVE).predict(Query.of("Natalia sold clips to 48 of "
                    + "her friends in April, and then she sold half as many clips in May. How many clips did Natalia "
                    + "sell altogether?"), Features.of(Map.of(Features.MEAN_ENTROPY, 0.41,
                    Features.MEAN_OUTPUT_LENGTH, 150.0)));

            // then
            assertThat(p.needProbability()).isBetween(0.0, 1.0);
            assertThat(rule).isEqualTo(predictor.rule(PredictorUse.PROACTIVE));
            assertThat(predictor.ruleSource(PredictorUse.PROACTIVE)).isEqualTo(OnnxHintPredictor.RuleSource.CALIBRATED);
            assertThat(proactive.name()).isEqualTo("proactive-shepherding");
            assertThat(reactive.name()).isEqualTo("reactive-shepherding");
            assertThat(predictor.hasReactiveHeads()).isTrue();
            assertThat(predictor.calibration().entries()).containsOnlyKeys(PredictorUse.values());
        }
    }
}
