package dev.shepherd.cli.label;

import dev.shepherd.cli.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void should_skip_ids_present_and_cut_a_torn_last_line() throws IOException {
        // given
        Path file = dir.resolve("l.jsonl");
        Files.writeString(file, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"que");
        // when
        try (LabelFileWriter w = LabelFileWriter.open(file)) {
            // then
            assertThat(w.tornBytes()).isEqualTo(14);
            assertThat(w.contains("a")).isTrue();
            assertThat(w.contains("c")).isFalse();
            assertThat(w.append("b", "{\"id\":\"b\",\"again\":true}")).isFalse();
            assertThat(w.append("c", "{\"id\":\"c\"}")).isTrue();
            assertThat(w.size()).isEqualTo(3);
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}");
    }

    @Test
    void should_refuse_to_append_to_a_file_with_a_corrupt_complete_line() throws IOException {
        // given
        Path file = dir.resolve("l.jsonl");
        Files.writeString(file, "{\"id\":\"a\"}\nnot json\n");
        // when / then
        assertThatThrownBy(() -> LabelFileWriter.open(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":2: not a JSON label record");
    }

    @Test
    void should_reject_records_spanning_lines() {
        try (LabelFileWriter w = LabelFileWriter.open(dir.resolve("n.jsonl"))) {
            assertThatThrownBy(() -> w.append("x", "{\n}")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
