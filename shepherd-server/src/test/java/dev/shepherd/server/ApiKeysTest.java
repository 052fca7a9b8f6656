package dev.shepherd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    @TempDir
    Path dir;

    @Test
    void should_match_only_the_configured_keys() {
        // given
        ApiKeys keys = ApiKeys.of(List.of("sk-one", "sk-two"));
        // then
        assertThat(keys.matches("sk-one")).isTrue();
        assertThat(keys.matches("sk-two")).isTrue();
        assertThat(keys.matches("sk-on")).isFalse();
        assertThat(keys.matches("sk-one ")).isFalse();
        assertThat(keys.matches(null)).isFalse();
        assertThat(keys.required()).isTrue();
        assertThat(keys.toString()).isEqualTo("ApiKeys[2 keys]").doesNotContain("sk-");
    }

    @Test
    void should_admit_everyone_without_keys() {
        assertThat(ApiKeys.none().required()).isFalse();
        assertThat(ApiKeys.none().matches("anything")).isFalse();
    }

    @Test
    void should_read_a_key_file_skipping_comments_and_blank_lines() throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("keys.txt"), "# clients\n\nsk-alpha\n  sk-beta  \n");
        // when
        ApiKeys keys = ApiKeys.fromFile(file);
        // then
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.matches("sk-beta")).isTrue();
    }

    @Test
    void should_refuse_a_file_without_keys_or_with_a_spaced_key_naming_the_line() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "# none\n");
        Path spaced = Files.writeString(dir.resolve("spaced.txt"), "sk-ok\nsk bad\n");
        assertThatThrownBy(() -> ApiKeys.fromFile(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no API key");
        assertThatThrownBy(() -> ApiKeys.fromFile(spaced)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spaced.txt:2").hasMessageNotContaining("sk bad");
    }

    @Test
    void should_parse_comma_separated_keys_and_combine_sets() {
        ApiKeys keys = ApiKeys.parse(" sk-a, sk-b ,").and(ApiKeys.of(List.of("sk-c")));
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.matches("sk-b")).isTrue();
        assertThatThrownBy(() -> ApiKeys.parse(" , ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.of(List.of("ok", " "))).hasMessageContaining("keys[1]");
    }
}
