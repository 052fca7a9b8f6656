package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.hint.HintDecisionRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorBundleTest {

    @TempDir
    Path dir;

    @Test
    void should_round_trip_a_calibration_and_read_the_single_rule_layout_for_every_use() throws IOException {
        // given
        PredictorBundle bundle = PredictorBundle.at(dir);
        BundleCalibration.Entry reactive = new BundleCalibration.Entry(new HintDecisionRule(0.3, 24, 512, 1.5), 2,
                null, 0.86, 2e-5, 160, "min cost", List.of("an assumption"));

        // when
        bundle.writeCalibration(BundleCalibration.empty().with(PredictorUse.REACTIVE, reactive));
        BundleCalibration read = bundle.readCalibration();
        Files.writeString(dir.resolve(PredictorBundle.CALIBRATION), "{\"alpha\":0.4,\"eta_hint\":8,\"max_hint\":512}");
        BundleCalibration old = bundle.readCalibration();

        // then
        assertThat(read.entries()).containsOnlyKeys(PredictorUse.REACTIVE);
        assertThat(read.entry(PredictorUse.REACTIVE).orElseThrow()).isEqualTo(reactive);
        assertThat(old.entries()).containsOnlyKeys(PredictorUse.values());
        assertThat(old.entry(PredictorUse.ROUTING).orElseThrow().rule()).isEqualTo(new HintDecisionRule(0.4, 8, 512));
    }

    @Test
    void should_round_trip_a_training_manifest_of_prompt_digests_only() throws IOException {
        // given
        PredictorBundle bundle = PredictorBundle.at(dir.resolve("new"));
        PredictorBundle.TrainingManifest manifest = PredictorBundle.TrainingManifest.of("trace.csv", "weak was wrong",
                List.of("What is 1 + 2?", "What is 3 + 4?"));

        // when
        bundle.writeTrainingManifest(manifest);

        // then
        assertThat(PredictorBundle.at(dir).readTrainingManifest()).isEmpty();
        PredictorBundle.TrainingManifest read = bundle.readTrainingManifest().orElseThrow();
        assertThat(read).isEqualTo(manifest);
        assertThat(read.trainedOn("What is 3 + 4?")).isTrue();
        assertThat(read.trainedOn("What is 5 + 6?")).isFalse();
        assertThat(Files.readString(bundle.dir().resolve(PredictorBundle.TRAINING))).doesNotContain("What is");
    }

    @Test
    void should_name_the_file_of_a_malformed_calibration_or_manifest_and_a_missing_heads_file() throws IOException {
        // given
        Files.writeString(dir.resolve(PredictorBundle.CALIBRATION), "{\"uses\":{\"routing\":{\"alpha\":\"x\"}}}");
        Files.writeString(dir.resolve(PredictorBundle.TRAINING), "{\"source\":\"s\"}");
        PredictorBundle bundle = PredictorBundle.at(dir);

        // when / then
        assertThatThrownBy(bundle::readCalibration).isInstanceOf(BundleException.class)
                .hasMessageContaining(PredictorBundle.CALIBRATION).hasMessageContaining("alpha");
        assertThatThrownBy(bundle::readTrainingManifest).isInstanceOf(BundleException.class)
                .hasMessageContaining(PredictorBundle.TRAINING);
        assertThatThrownBy(bundle::readHeads).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.resolve(PredictorBundle.HEADS).toString());
        assertThatThrownBy(() -> bundle.writeHeads(new byte[] {1, 2, 3}, EncoderFiles.inDirectory(dir)))
                .isInstanceOf(BundleException.class).hasMessageContaining("corrupt ONNX file");
    }
}
