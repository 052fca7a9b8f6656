package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.onnx.internal.StaticTable;
import dev.shepherd.onnx.internal.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticEncoderTest {

    @TempDir
    Path tmp;

    private static final List<String> TEXTS = List.of("", "How many have they left?", "Tom sold 3 houses for $1,200.",
            "Café [CLS] déjà-vu 我 🍎", "time   water\tmoney\nhouse");

    @Test
    void should_count_tokens_as_the_transformer_does() {
        for (String t : TEXTS) {
            assertThat(StaticFixture.encoder().tokenCount(t)).as(t).isEqualTo(StaticFixture.source().tokenCount(t));
            assertThat(StaticFixture.encoder().encode(t).tokens()).as(t).isEqualTo(StaticFixture.source().tokenCount(t));
        }
    }

    @Test
    void should_pool_the_stored_rows_of_the_tokens_and_normalise() throws Exception {
        // given: the table and tokenizer read by hand
        StaticEncoder enc = StaticFixture.encoder();
        StaticTable table = StaticTable.read(enc.table());
        WordPieceTokenizer tok = WordPieceTokenizer.load(enc.tokenizer()).orElseThrow();
        String text = "How many have they left after Tom sold 12 of them?";

        // when
        float[] expected = new float[table.dimension()];
        for (int id : tok.encode(text)) {
            if (id != 100) { // [UNK] is a special token: counted, never pooled
                table.addTo(id, expected);
            }
        }
        double norm = 0;
        for (float x : expected) {
            norm += x * x;
        }
        EncodedText got = enc.encode(text);

        // then
        for (int j = 0; j < expected.length; j++) {
            assertThat(got.vector()[j]).isCloseTo((float) (expected[j] / Math.sqrt(norm)), within(1e-6f));
        }
        assertThat(got.truncated()).isFalse();
    }

    @Test
    void should_pool_only_the_first_max_length_tokens_and_say_so() {
        // given: 254 content tokens fit beside [CLS] and [SEP]; the words after them are not seen
        StaticEncoder enc = StaticFixture.encoder();
        String text = "time ".repeat(254) + "water ".repeat(100);

        // when
        EncodedText e = enc.encode(text);

        // then
        assertThat(e.truncated()).isTrue();
        assertThat(e.tokens()).isEqualTo(356);
        assertThat(e.vector()).containsExactly(enc.encode("time").vector(), within(1e-6f));
    }

    @Test
    void should_count_but_never_pool_special_tokens() {
        StaticEncoder enc = StaticFixture.encoder();
        EncodedText e = enc.encode("[CLS] time [SEP]");
        assertThat(e.tokens()).isEqualTo(5);
        assertThat(e.vector()).containsExactly(enc.encode("time").vector(), within(1e-6f));
        assertThat(enc.encode("").vector()).containsOnly(0f);
    }

    @Test
    void should_give_the_same_vectors_through_the_native_tokenizer_fallback() throws Exception {
        // given: the same tokenizer wrapped in a normalizer Sequence, which the plain-Java tokenizer declines
        StaticEncoder enc = StaticFixture.encoder();
        Path dir = Files.createDirectories(tmp.resolve("fallback"));
        Files.copy(enc.table(), dir.resolve(StaticEncoder.TABLE_FILE));
        ObjectMapper json = new ObjectMapper();
        ObjectNode tok = (ObjectNode) json.readTree(enc.tokenizer().toFile());
        ObjectNode seq = json.createObjectNode().put("type", "Sequence");
        seq.putArray("normalizers").add(tok.get("normalizer"));
        tok.set("normalizer", seq);
        json.writeValue(dir.resolve(StaticEncoder.TOKENIZER_FILE).toFile(), tok);
        assertThat(WordPieceTokenizer.load(dir.resolve(StaticEncoder.TOKENIZER_FILE))).isEmpty();

        // when
        try (StaticEncoder fallback = StaticEncoder.load(dir)) {
            // then
            for (String t : TEXTS) {
                assertThat(fallback.encode(t).tokens()).as(t).isEqualTo(enc.encode(t).tokens());
                assertThat(fallback.encode(t).vector()).as(t).containsExactly(enc.encode(t).vector(), within(1e-6f));
            }
        }
    }

    @Test
    void should_reject_a_missing_table_naming_it() {
        Path table = tmp.resolve(StaticEncoder.TABLE_FILE);
        assertThatThrownBy(() -> StaticEncoder.load(tmp)).isInstanceOf(BundleException.class)
                .hasMessageContaining(table.toString()).extracting(e -> ((BundleException) e).file()).isEqualTo(table);
    }

    @Test
    void should_reject_a_missing_or_foreign_tokenizer_naming_it() throws Exception {
        // given
        Path dir = Files.createDirectories(tmp.resolve("foreign"));
        Files.copy(StaticFixture.encoder().table(), dir.resolve(StaticEncoder.TABLE_FILE));
        Path tokenizer = dir.resolve(StaticEncoder.TOKENIZER_FILE);

        // when / then: missing
        assertThatThrownBy(() -> StaticEncoder.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(tokenizer.toString());

        // when / then: the full MiniLM tokenizer (30,522 ids) beside a 4,000-row table
        Files.copy(SharedEncoder.get().files().tokenizer(), tokenizer);
        assertThatThrownBy(() -> StaticEncoder.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(tokenizer.toString()).hasMessageContaining("not distilled together");
    }

    @Test
    void should_refuse_work_once_closed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("closed"));
        Files.copy(StaticFixture.encoder().table(), dir.resolve(StaticEncoder.TABLE_FILE));
        Files.copy(StaticFixture.encoder().tokenizer(), dir.resolve(StaticEncoder.TOKENIZER_FILE));
        StaticEncoder enc = StaticEncoder.load(dir);
        enc.close();
        enc.close();
        assertThatThrownBy(() -> enc.encode("time")).isInstanceOf(IllegalStateException.class);
    }
}
