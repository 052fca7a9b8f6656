package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                "slm_samples": [{"text": "...", "output_tokens": 150, "mean_entropy": 0.41}], \
                "features": {"mean_entropy": 0.41, "mean_output_length": 150.0}, "n_star": 18, "n_star_percent": 10, "keep": true}

                """);

        // when
        LabelRecord r = LabelFile.read(file).get(0);

        // then
        assertThat(r.nStar()).isEqualTo(18);
        assertThat(r.levels()).hasSize(2);
        assertThat(r.levels().get(1).slm().quality()).isEqualTo(1.0);
        assertThat(r.features()).containsEntry("mean_entropy", 0.41);
        assertThat(r.toExample().needsHint()).isTrue();
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
