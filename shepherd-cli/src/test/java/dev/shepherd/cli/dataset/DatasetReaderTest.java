package dev.shepherd.cli.dataset;

import dev.shepherd.cli.InputException;
import dev.shepherd.cli.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetReaderTest {

    @TempDir
    Path dir;

    @Test
    void should_read_gsm8k_test_with_gold_after_hashes() {
        // given
        Path file = SharedFiles.require("data/gsm8k_test.jsonl");
        // when
        Dataset data = DatasetReader.read(file, null);
        // then
        assertThat(data.format()).isEqualTo(DatasetFormat.GSM8K);
        assertThat(data.size()).isEqualTo(1319);
        Example first = data.examples().get(0);
        assertThat(first.query().gold()).isEqualTo("18");
        assertThat(first.query().text()).startsWith("Janet");
        assertThat(first.kind()).isEqualTo(TaskKind.MATH);
        assertThat(first.id()).isEqualTo("gsm8k_test-0");
    }

    @Test
    void should_read_gzipped_humaneval_with_check_program() {
        // given
        Path file = SharedFiles.require("data/HumanEval.jsonl.gz");
        // when
        Dataset data = DatasetReader.read(file, null);
        // then
        assertThat(data.format()).isEqualTo(DatasetFormat.HUMANEVAL);
        assertThat(data.size()).isEqualTo(164);
        Example first = data.examples().get(0);
        assertThat(first.id()).isEqualTo("HumanEval/0");
        assertThat(first.kind()).isEqualTo(TaskKind.CODE);
        assertThat(first.testProgram()).contains("def check(candidate)").endsWith("check(has_close_elements)\n");
    }

    @Test
    void should_read_mbpp_with_asserts_in_prompt_and_tests() {
        // given
        Path file = SharedFiles.require("data/mbpp.jsonl");
        // when
        Dataset data = DatasetReader.read("mbpp:" + file, null);
        // then
        assertThat(data.size()).isEqualTo(974);
        Example first = data.examples().get(0);
        assertThat(first.id()).isEqualTo("mbpp-1");
        assertThat(first.query().text()).contains("assert min_cost(");
        assertThat(first.testProgram()).contains("assert min_cost([[1, 2, 3], [4, 8, 2], [1, 5, 3]], 2, 2) == 8");
    }

    @Test
    void should_read_generic_jsonl_and_tell_math_from_text_gold() throws IOException {
        // given
        Path file = write("mine.jsonl", "{\"id\":\"a\",\"query\":\"2+2?\",\"gold\":\"4\"}\n\n"
                + "{\"query\":\"Capital of France?\",\"gold\":\"Paris\"}\n");
        // when
        Dataset data = DatasetReader.read(file, null);
        // then
        assertThat(data.format()).isEqualTo(DatasetFormat.JSONL);
        assertThat(data.examples()).extracting(Example::id).containsExactly("a", "mine-1");
        assertThat(data.examples()).extracting(Example::kind).containsExactly(TaskKind.MATH, TaskKind.TEXT);
    }

    @Test
    void should_name_file_and_line_when_jsonl_line_is_truncated() throws IOException {
        // given
        Path file = write("cut.jsonl", "{\"query\":\"q\",\"gold\":\"1\"}\n{\"query\":\"q2\",\"gol");
        // when / then
        assertThatThrownBy(() -> DatasetReader.read(file, DatasetFormat.JSONL))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(file + ":2: truncated JSONL line");
    }

    @Test
    void should_name_field_when_gsm8k_gold_is_missing() throws IOException {
        // given
        Path file = write("gsm8k_bad.jsonl", "{\"question\":\"q\",\"answer\":\"#### 3\"}\n"
                + "{\"question\":\"q\",\"answer\":\"no final answer here\"}\n");
        // when / then
        assertThatThrownBy(() -> DatasetReader.read(file, null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(file + ":2: field 'answer': missing gold answer");
    }

    @Test
    void should_name_field_when_generic_gold_is_missing() throws IOException {
        // given
        Path file = write("nogold.jsonl", "{\"query\":\"q\"}\n");
        // when / then
        assertThatThrownBy(() -> DatasetReader.read(file, null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(":1: field 'gold': missing gold answer");
    }

    @Test
    void should_reject_unknown_format_from_fields_and_from_name() throws IOException {
        // given
        Path file = write("data.jsonl", "{\"foo\":1}\n");
        // when / then
        assertThatThrownBy(() -> DatasetReader.read(file, null))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown dataset format");
        assertThatThrownBy(() -> DatasetFormat.parse("csv"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown dataset format 'csv'")
                .hasMessageContaining("gsm8k, humaneval, mbpp, jsonl");
    }

    @Test
    void should_report_missing_file() {
        assertThatThrownBy(() -> DatasetReader.read(dir.resolve("absent.jsonl"), null))
                .isInstanceOf(InputException.class).hasMessageEndingWith("absent.jsonl: dataset file not found");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
