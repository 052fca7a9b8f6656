package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEncoderTest {

    @TempDir
    Path tmp;

    @Test
    void should_embed_similar_questions_closer_than_unrelated_ones() {
        // given
        TextEncoder encoder = SharedEncoder.get();

        // when
        List<EncodedText> out = encoder.encodeAll(List.of(
                "How many apples does Tom have left after eating two?",
                "After eating two apples, how many apples are left for Tom?",
                "Write a Python function that reverses a linked list."));

        // then
        assertThat(encoder.dimension()).isEqualTo(384);
        assertThat(cos(out.get(0).vector(), out.get(1).vector()))
                .isGreaterThan(cos(out.get(0).vector(), out.get(2).vector()) + 0.2);
        assertThat(out.get(0).truncated()).isFalse();
        assertThat(out.get(0).tokens()).isEqualTo(encoder.tokenCount("How many apples does Tom have left after eating two?"));
    }

    @Test
    void should_give_the_same_vector_alone_and_in_a_padded_batch() {
        // given
        TextEncoder encoder = SharedEncoder.get();
        String shortText = "Two plus two?";

        // when
        float[] alone = encoder.encode(shortText).vector();
        float[] batched = encoder.encodeAll(List.of("A much longer question about trains leaving stations at noon.", shortText))
                .get(1).vector();

        // then
        for (int i = 0; i < alone.length; i++) {
            assertThat(batched[i]).isCloseTo(alone[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    @Test
    void should_truncate_an_over_long_text_and_say_so() {
        // given
        TextEncoder encoder = SharedEncoder.get();
        String longText = "apple ".repeat(400);

        // when
        EncodedText out = encoder.encode(longText);

        // then
        assertThat(out.truncated()).isTrue();
        assertThat(out.tokens()).isGreaterThan(encoder.maxLength()).isEqualTo(402);
    }

    @Test
    void should_give_the_same_vectors_with_the_plain_java_tokenizer_as_with_djls() throws Exception {
        // given: the same MiniLM files, once as they are (plain-Java WordPiece) and once with a tokenizer.json that the
        // Java tokenizer declines (an added token that strips spaces), so DJL's tokenises; no text below contains it
        EncoderFiles files = EncoderFiles.miniLmFromClasspath();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(files.tokenizer().toFile());
        ((ObjectNode) root.withArray("added_tokens").get(4)).put("lstrip", true);
        Path declined = tmp.resolve("tokenizer.json");
        json.writeValue(declined.toFile(), root);
        List<String> texts = List.of("Natalia sold clips to 48 of her friends in April, and then she sold half as many "
                + "clips in May. How many clips did Natalia sell altogether in April and May?", "Café déjà vu: 3½ €!",
                "Two plus two?", "apple ".repeat(300));
        try (TextEncoder djl = TextEncoder.builder(new EncoderFiles(files.model(), declined)).pooling(Pooling.MEAN)
                .normalize(true).maxLength(256).build()) {
            TextEncoder java = SharedEncoder.get();
            // when
            List<EncodedText> a = java.encodeAll(texts);
            List<EncodedText> b = djl.encodeAll(texts);
            // then
            for (int i = 0; i < texts.size(); i++) {
                assertThat(java.tokenIds(texts.get(i))).containsExactly(djl.tokenIds(texts.get(i)));
                assertThat(a.get(i).tokens()).isEqualTo(b.get(i).tokens());
                assertThat(a.get(i).truncated()).isEqualTo(b.get(i).truncated());
                assertThat(a.get(i).vector()).containsExactly(b.get(i).vector(), org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(a.get(3).truncated()).isTrue();
        }
    }

    @Test
    void should_name_the_missing_model_file() {
        // given
        EncoderFiles files = new EncoderFiles(tmp.resolve("nope.onnx"), SharedEncoder.get().files().tokenizer());

        // when / then
        assertThatThrownBy(() -> TextEncoder.builder(files).build())
                .isInstanceOf(BundleException.class).hasMessageContaining("nope.onnx");
    }

    @Test
    void should_reject_a_corrupt_model_file_naming_it() throws Exception {
        // given
        Path bad = Files.writeString(tmp.resolve("model.onnx"), "not a protobuf");
        EncoderFiles files = new EncoderFiles(bad, SharedEncoder.get().files().tokenizer());

        // when / then
        assertThatThrownBy(() -> TextEncoder.builder(files).build())
                .isInstanceOf(BundleException.class).hasMessageContaining(bad.toString());
    }

    @Test
    void should_reject_a_tokenizer_whose_vocabulary_the_model_does_not_have() throws Exception {
        // given: MiniLM's tokenizer with one extra token beyond the model's 30,522-row embedding table
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(SharedEncoder.get().files().tokenizer().toFile());
        ((ObjectNode) root.path("model").path("vocab")).put("zzzshepherdzzz", 40_000);
        Path tokenizer = tmp.resolve("tokenizer.json");
        json.writeValue(tokenizer.toFile(), root);
        EncoderFiles files = new EncoderFiles(SharedEncoder.get().files().model(), tokenizer);

        // when / then
        assertThatThrownBy(() -> TextEncoder.builder(files).build())
                .isInstanceOf(BundleException.class)
                .hasMessageContaining(tokenizer.toString())
                .hasMessageContaining("does not match encoder");
    }

    @Test
    void should_reject_a_corrupt_tokenizer_naming_it() throws Exception {
        // given
        Path bad = Files.writeString(tmp.resolve("tokenizer.json"), "{\"truncated");
        EncoderFiles files = new EncoderFiles(SharedEncoder.get().files().model(), bad);

        // when / then
        assertThatThrownBy(() -> TextEncoder.builder(files).build())
                .isInstanceOf(BundleException.class).hasMessageContaining(bad.toString());
    }

    static double cos(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
