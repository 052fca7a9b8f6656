package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.ShepherdException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration errors caught before any native code runs. */
class LlamaCppChatModelBuilderTest {

    @TempDir
    Path tmp;

    @Test
    void should_name_the_path_when_the_gguf_file_does_not_exist() {
        // given
        Path missing = tmp.resolve("missing.gguf");

        // when / then
        assertThatThrownBy(() -> LlamaCppChatModel.builder().modelPath(missing).build())
                .isInstanceOf(ModelLoadException.class)
                .isInstanceOf(ShepherdException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .satisfies(e -> assertThat(((ModelLoadException) e).path()).isEqualTo(missing));
    }

    @Test
    void should_name_the_path_when_the_gguf_path_is_a_directory() {
        assertThatThrownBy(() -> LlamaCppChatModel.builder().modelPath(tmp).build())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("directory");
    }

    @Test
    void should_reject_a_file_without_the_gguf_magic_before_native_code_sees_it() throws IOException {
        // given
        Path garbage = tmp.resolve("garbage.gguf");
        Files.write(garbage, new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3, 4, 5});

        // when / then
        assertThatThrownBy(() -> LlamaCppChatModel.builder().modelPath(garbage).build())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(garbage.toString())
                .hasMessageContaining("not a GGUF file")
                .hasMessageContaining("0x7f454c46");
    }

    @Test
    void should_reject_an_empty_file() throws IOException {
        // given
        Path empty = Files.createFile(tmp.resolve("empty.gguf"));

        // when / then
        assertThatThrownBy(() -> LlamaCppChatModel.builder().modelPath(empty).build())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("an empty file");
    }

    @Test
    void should_require_a_model_path() {
        assertThatThrownBy(() -> LlamaCppChatModel.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelPath is required");
        assertThatThrownBy(() -> LlamaCppChatModel.builder().modelPath(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("modelPath");
    }

    @Test
    void should_name_field_and_value_of_invalid_settings() {
        var builder = LlamaCppChatModel.builder();
        assertThatThrownBy(() -> builder.threads(0)).hasMessage("threads must be at least 1 but was 0");
        assertThatThrownBy(() -> builder.contextSize(8)).hasMessage("contextSize must be at least 16 but was 8");
        assertThatThrownBy(() -> builder.maxOutputTokens(-3)).hasMessage("maxOutputTokens must be at least 1 but was -3");
        assertThatThrownBy(() -> builder.temperature(-0.5)).hasMessageContaining("temperature").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> builder.temperature(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> builder.topP(0)).hasMessage("topP must be in (0, 1] but was 0.0");
        assertThatThrownBy(() -> builder.topP(1.5)).hasMessage("topP must be in (0, 1] but was 1.5");
        assertThatThrownBy(() -> builder.chatTemplate(null)).isInstanceOf(NullPointerException.class);
    }
}
