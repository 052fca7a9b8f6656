package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFilesTest {

    @TempDir
    Path tmp;

    @Test
    void should_accept_a_file_starting_with_the_gguf_magic() throws IOException {
        // given
        Path file = Files.write(tmp.resolve("m.gguf"), "GGUF\u0003rest".getBytes(StandardCharsets.US_ASCII));

        // when / then
        assertThat(GgufFiles.requireGguf(file)).isEqualTo(file.toAbsolutePath().normalize());
    }

    @Test
    void should_reject_a_file_shorter_than_the_magic() throws IOException {
        // given
        Path file = Files.write(tmp.resolve("short.gguf"), "GG".getBytes(StandardCharsets.US_ASCII));

        // when / then
        assertThatThrownBy(() -> GgufFiles.requireGguf(file))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("found 0x4747");
    }

    @Test
    void should_reject_a_lowercase_magic() throws IOException {
        // given
        Path file = Files.write(tmp.resolve("lower.gguf"), "gguf....".getBytes(StandardCharsets.US_ASCII));

        // when / then
        assertThatThrownBy(() -> GgufFiles.requireGguf(file)).isInstanceOf(ModelLoadException.class);
    }
}
