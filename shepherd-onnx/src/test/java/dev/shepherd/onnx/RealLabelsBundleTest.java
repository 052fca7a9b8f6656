package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.hint.Features;
import dev.shepherd.onnx.baseline.RouteLlmEvaluation;
import dev.shepherd.onnx.baseline.RouteLlmTrace;
import dev.shepherd.onnx.training.Calibration;
import dev.shepherd.onnx.training.CalibrationResult;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.TrainedPredictor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The done-criterion: a bundle trained by our code on real labels loads and predicts through ONNX Runtime. */
class RealLabelsBundleTest {

    @TempDir
    Path tmp;

    @Test
    void should_train_export_load_predict_and_calibrate_on_the_real_trace() {
        // given: the RouteLLM trace as label records, 300 to train, 120 held out
        List<LabelRecord> records = RouteLlmTrace.read(SharedData.routeLlmTrace()).toLabelRecords();
        List<LabelRecord> train = records.subList(0, 300);
        List<LabelRecord> held = records.subList(300, 420);
        Path labels = tmp.resolve("labels.jsonl");
        LabelFile.write(labels, train);

        // when
        TrainedPredictor trained = PredictorTrainer.builder(SharedEncoder.get()).seed(1).maxEpochs(20).build()
                .train(LabelFile.read(labels).stream().filter(LabelRecord::keep).map(LabelRecord::toExample).toList());
        Path bundle = trained.export(tmp.resolve("bundle"));
        List<Query> queries = held.stream().map(r -> Query.of(r.id(), r.query(), null)).toList();
        List<Features> none = held.stream().map(r -> Features.none()).toList();

        try (OnnxHintPredictor onnx = OnnxHintPredictor.load(bundle)) {
            List<HeadOutput> ort = onnx.headOutputs(queries, none);
            List<HeadOutput> java = trained.headOutputs(queries, none);
            Calibration calibration = Calibration.builder().records(held).predictor(onnx)
                    .costModel(CostModel.localSmall(RouteLlmEvaluation.GPT4_1106)).build();
            CalibrationResult floor = calibration.minimiseCost(0.9 * calibration.largeOnly().accuracy());

            // then
            for (int i = 0; i < ort.size(); i++) {
                assertThat(ort.get(i).needLogit()).isCloseTo(java.get(i).needLogit(), within(1e-5));
                assertThat(ort.get(i).logHintSize()).isCloseTo(java.get(i).logHintSize(), within(1e-5));
            }
            assertThat(floor.accuracy()).isGreaterThanOrEqualTo(0.9 * calibration.largeOnly().accuracy());
            assertThat(floor.meanCost()).isLessThanOrEqualTo(calibration.largeOnly().meanCost());
        }
    }
}
