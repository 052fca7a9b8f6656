package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.onnx.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFileTest {

    @TempDir
    Path tmp;

    @Test
    void should_read_back_what_it_wrote() {
        // given
        List<LabelRecord> records = Synthetic.records(6, 1);
        Path file = tmp.resolve("labels.jsonl");

        // when
        LabelFile.write(file, records);
        List<LabelRecord> read = LabelFile.read(file);

        // then
        assertThat(read).isEqualTo(records);
    }

    @Test
    void should_read_the_example_of_the_contract() throws Exception {
        // given: the record from docs/labels.md
        Path file = Files.writeString(tmp.resolve("doc.jsonl"), """
                {"id": "gsm8k-test-12", "dataset": "gsm8k", "query": "Natalia sold clips to ...", "gold": "72", \
                "llm_full": {"text": "...", "input_tokens": 120, "output_tokens": 180, "finish_reason": "STOP", "quality": 1.0}, \
                "levels": [{"percent": 0, "hint_tokens": 0, "hint_text": "", "hint_input_tokens": 0, \
                "slm": {"text": "...", "input_tokens": 95, "output_tokens": 160, "finish_reason": "STOP", "quality": 0.0}}, \
                {"percent": 10, "hint_tokens": 18, "hint_text": "Natalia sold 48/2 = 24 ...", "hint_input_tokens": 120, \
                "slm": {"text": "...", "input_tokens": 113, "output_tokens": 150, "finish_reason": "STOP", "quality": 1.0}}], \
                "samples": [{"text": "... #### 70", "answer": "70", "input_tokens": 95, "output_tokens": 150, \
                "mean_entropy": 0.41, "quality": 0.0}, {"text": "... #### 72", "answer": "72", "input_tokens": 95, \
                "output_tokens": 140, "mean_entropy": 0.38, "quality": 1.0}, {"text": "... #### 70", "answer": "70", \
                "input_tokens": 95, "output_tokens": 160, "mean_entropy": 0.44, "quality": 0.0}], \
                "features": {"mean_entropy": 0.41, "mean_output_length": 150.0}, "entropy": "token", "all_levels": false, \
                "n_star": 18, "n_star_percent": 10, "keep": true}

                """);

        // when
        LabelRecord r = LabelFile.read(file).get(0);

        // then
        assertThat(r.nStar()).isEqualTo(18);
        assertThat(r.levels()).hasSize(2);
        assertThat(r.levels().get(1).small().quality()).isEqualTo(1.0);
        assertThat(r.features()).containsEntry("mean_entropy", 0.41);
        assertThat(r.toExample().needsHint()).isTrue();
        assertThat(r.samples()).hasSize(3);
        assertThat(r.entropy()).isEqualTo("token");
        assertThat(r.allLevels()).isFalse();
        assertThat(r.agreed(2)).contains(r.samples().get(0));
        assertThat(r.agreed(3)).isEmpty();
    }

    @Test
    void should_read_back_samples_entropy_and_all_levels() {
        // given: one sample without log-probabilities and without an answer
        LabelRecord.ModelCall call = new LabelRecord.ModelCall("#### 3", 10, 2, "STOP", 1.0);
        List<LabelRecord.Sample> samples = List.of(
                new LabelRecord.Sample("I think #### 3", "3", 10, 4, 0.25, 1.0),
                new LabelRecord.Sample("no idea", null, 10, 2, null, 0.0),
                new LabelRecord.Sample("so #### 4", "4", 10, 3, 0.5, 0.0));
        LabelRecord withSamples = new LabelRecord("q1", "sums", "What is 1 + 2?", "3", call,
                List.of(new LabelRecord.HintLevel(0, 0, "", 0, call)), samples,
                Map.of("mean_entropy", Math.log(3), "mean_output_length", 3.0), "answer", true, 0, 0, true);
        LabelRecord without = new LabelRecord("q2", "sums", "What is 2 + 2?", "4", call,
                List.of(new LabelRecord.HintLevel(0, 0, "", 0, call)), Map.of(), 0, 0, true);
        Path file = tmp.resolve("samples.jsonl");

        // when
        LabelFile.write(file, List.of(withSamples, without));
        List<LabelRecord> read = LabelFile.read(file);

        // then
        assertThat(read).containsExactly(withSamples, without);
        assertThat(read.get(0).hasSamples()).isTrue();
        assertThat(read.get(1).hasSamples()).isFalse();
        assertThat(read.get(1).entropy()).isNull();
        assertThat(read.get(1).allLevels()).isFalse();
    }

    @Test
    void should_write_the_documented_sample_fields_and_omit_a_missing_mean_entropy() throws Exception {
        // given
        LabelRecord.ModelCall call = new LabelRecord.ModelCall("#### 3", 10, 2, "STOP", 1.0);
        LabelRecord r = new LabelRecord("q1", "sums", "q", "3", call, List.of(new LabelRecord.HintLevel(0, 0, "", 0, call)),
                List.of(new LabelRecord.Sample("#### 3", "3", 10, 2, null, 1.0)),
                Map.of("mean_entropy", 0.0, "mean_output_length", 2.0), "answer", false, 0, 0, true);
        Path file = tmp.resolve("shape.jsonl");

        // when
        LabelFile.write(file, List.of(r));

        // then
        String line = Files.readString(file).strip();
        assertThat(line).contains("\"samples\":[{\"text\":\"#### 3\",\"answer\":\"3\",\"input_tokens\":10,"
                        + "\"output_tokens\":2,\"quality\":1.0}]", "\"entropy\":\"answer\"", "\"all_levels\":false")
                .doesNotContain("mean_entropy\":null");
    }

    @Test
    void should_read_a_record_written_before_samples_were_recorded() throws Exception {
        // given: the old format, without samples, entropy and all_levels
        Path file = Files.writeString(tmp.resolve("old.jsonl"), "{\"id\":\"a\",\"dataset\":\"d\",\"query\":\"q\","
                + "\"gold\":\"1\",\"llm_full\":{\"text\":\"t\",\"input_tokens\":1,\"output_tokens\":2,"
                + "\"finish_reason\":\"STOP\",\"quality\":1.0},\"levels\":[{\"percent\":0,\"hint_tokens\":0,"
                + "\"hint_text\":\"\",\"hint_input_tokens\":0,\"slm\":{\"text\":\"t\",\"input_tokens\":1,"
                + "\"output_tokens\":2,\"finish_reason\":\"STOP\",\"quality\":1.0}}],\"features\":{},"
                + "\"n_star\":0,\"n_star_percent\":0,\"keep\":true}\n");

        // when
        LabelRecord r = LabelFile.read(file).get(0);

        // then
        assertThat(r.samples()).isEmpty();
        assertThat(r.hasSamples()).isFalse();
        assertThat(r.entropy()).isNull();
        assertThat(r.allLevels()).isFalse();
        assertThat(r.agreed(1)).isEmpty();
    }

    @Test
    void should_name_file_line_and_field_of_a_bad_sample_entropy_or_all_levels() throws Exception {
        // given
        LabelRecord.ModelCall call = new LabelRecord.ModelCall("#### 3", 10, 2, "STOP", 1.0);
        LabelRecord r = new LabelRecord("q1", "sums", "q", "3", call, List.of(new LabelRecord.HintLevel(0, 0, "", 0, call)),
                List.of(new LabelRecord.Sample("#### 3", "3", 10, 2, 0.5, 1.0),
                        new LabelRecord.Sample("#### 3", "3", 10, 2, 0.5, 1.0)),
                Map.of("mean_entropy", 0.5, "mean_output_length", 2.0), "token", false, 0, 0, true);
        Path good = tmp.resolve("good.jsonl");
        LabelFile.write(good, List.of(r, r));
        String line = Files.readAllLines(good).get(0);
        String second = line.replace("\"q1\"", "\"q2\"");

        // when / then
        assertThatThrownBy(() -> LabelFile.read(write("quality.jsonl", line + "\n" + second.replaceFirst(
                "(\"samples\":\\[\\{[^}]*\\},\\{[^}]*)\"quality\":1.0", "$1\"quality\":\"high\""))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("quality.jsonl:2:")
                .hasMessageContaining("'samples[1].quality' must be a number");
        assertThatThrownBy(() -> LabelFile.read(write("tokens.jsonl", line.replaceFirst("\"output_tokens\":2,\"mean", "\"mean"))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(":1:")
                .hasMessageContaining("'samples[0].output_tokens' is missing");
        assertThatThrownBy(() -> LabelFile.read(write("entropy.jsonl", line.replace("\"entropy\":\"token\"",
                "\"entropy\":\"bits\""))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(":1:")
                .hasMessageContaining("'entropy' must be \"token\" or \"answer\" but was \"bits\"");
        assertThatThrownBy(() -> LabelFile.read(write("all.jsonl", line.replace("\"all_levels\":false",
                "\"all_levels\":\"no\""))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("'all_levels' must be true or false");
        assertThatThrownBy(() -> LabelFile.read(write("arr.jsonl", line.replaceFirst("\"samples\":\\[.*?\\],\"features\"",
                "\"samples\":{},\"features\""))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("'samples' must be an array");
        assertThatThrownBy(() -> LabelFile.read(write("ent.jsonl", line.replaceFirst("\"mean_entropy\":0.5,\"quality\"",
                "\"mean_entropy\":\"x\",\"quality\""))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("'samples[0].mean_entropy' must be a number");
    }

    private Path write(String name, String text) throws java.io.IOException {
        return Files.writeString(tmp.resolve(name), text + "\n");
    }

    @Test
    void should_name_file_and_line_of_a_truncated_record() throws Exception {
        // given
        List<LabelRecord> records = Synthetic.records(3, 1);
        Path file = tmp.resolve("cut.jsonl");
        LabelFile.write(file, records);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 40));

        // when / then
        assertThatThrownBy(() -> LabelFile.read(file))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(file + ":3:")
                .hasMessageContaining("truncated");
    }

    @Test
    void should_name_a_missing_field() throws Exception {
        Path file = Files.writeString(tmp.resolve("missing.jsonl"), "{\"id\": \"x\", \"query\": \"q\"}\n");
        assertThatThrownBy(() -> LabelFile.read(file))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(":1:").hasMessageContaining("'levels'");
    }

    @Test
    void should_name_a_field_of_the_wrong_type() throws Exception {
        // given
        Path file = tmp.resolve("type.jsonl");
        LabelFile.write(file, Synthetic.records(2, 1));
        String text = Files.readString(file).replaceFirst("\"n_star\":0", "\"n_star\":\"zero\"");
        Files.writeString(file, text);

        // when / then
        assertThatThrownBy(() -> LabelFile.read(file))
                .isInstanceOf(DataFormatException.class).hasMessageContaining(":1:").hasMessageContaining("'n_star'");
    }
}
