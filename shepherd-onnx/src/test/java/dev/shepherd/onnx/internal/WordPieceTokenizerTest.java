package dev.shepherd.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.onnx.EncoderFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain-Java WordPiece tokenizer gives DJL's (HuggingFace's Rust) ids, token for token. */
class WordPieceTokenizerTest {

    /** Cut short, so most GSM8K questions (≈ 66 tokens) are truncated. */
    private static final int SHORT = 32;
    private static HuggingFaceTokenizer djl;
    private static HuggingFaceTokenizer djlTruncated;
    private static WordPieceTokenizer java;

    @BeforeAll
    static void load() throws IOException {
        Djl.start();
        Path file = EncoderFiles.miniLmFromClasspath().tokenizer();
        djl = HuggingFaceTokenizer.builder().optTokenizerPath(file).optPadding(false).optAddSpecialTokens(true)
                .optTruncation(false).build();
        djlTruncated = HuggingFaceTokenizer.builder().optTokenizerPath(file).optPadding(false)
                .optAddSpecialTokens(true).optTruncation(true).optMaxLength(SHORT).build();
        java = WordPieceTokenizer.load(file).orElseThrow();
    }

    @AfterAll
    static void close() {
        djl.close();
        djlTruncated.close();
    }

    @Test
    void should_match_huggingface_on_hostile_text() {
        List<String> texts = List.of("", " ", "Hello, World!", "Café déjà vu naïve façade", "我有3个苹果。",
                "🍎 apples cost $1,200.50 (3.5%)", "a\u0000b\u0007c\u007fd", "5\u00a0apples\u2009and\u3000pears",
                "zero\u200bwidth", "a".repeat(150) + " b", "x".repeat(100), "[CLS] hello [SEP] [MASK]word[UNK]",
                "İstanbul ΣΊΣΥΦΟΣ straße", "\uFB01ne ligature", "don't stop-me now...", "\t\n\r\u000b\u000ctabs",
                "a\u0085b\u2028c", "e\u0301 combining", "カタカナ ひらがな 한국어", "unaffable ##ing ####",
                "Ｆｕｌｌｗｉｄｔｈ", "emoji👍🏽mixed", "\ud83d\ude00\ud83d\ude00", "«quotes» “curly” ‘single’ — dash",
                "x²+y³=z¹", "①②③ ⅣⅤ", "\u00ad soft hyphen", "mixed ASCII and ü in one");
        for (String t : texts) {
            assertSame(t);
        }
    }

    @Test
    void should_match_huggingface_on_random_text() {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] ranges = {{0x20, 0x7e}, {0x00, 0x20}, {0xa0, 0x24f}, {0x300, 0x36f}, {0x370, 0x3ff}, {0x400, 0x4ff},
            {0x2000, 0x206f}, {0x3000, 0x30ff}, {0x4e00, 0x4e50}, {0xac00, 0xac50}, {0x1f300, 0x1f64f}};
        for (int n = 0; n < 3000; n++) {
            StringBuilder b = new StringBuilder();
            int len = rng.nextInt(1, 40);
            for (int i = 0; i < len; i++) {
                int[] r = ranges[rng.nextInt(10) < 6 ? 0 : rng.nextInt(ranges.length)];
                int cp = rng.nextInt(r[0], r[1] + 1);
                if (Character.getType(cp) != Character.UNASSIGNED) { // Unicode versions of Java and Rust differ there
                    b.appendCodePoint(cp);
                }
            }
            assertSame(b.toString());
        }
    }

    @Test
    void should_match_huggingface_on_every_gsm8k_question() throws IOException {
        Path root = Path.of(System.getProperty("shepherd.shared", "../shared"), "data");
        List<String> questions = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("gsm8k_test.jsonl", "gsm8k_train.jsonl")) {
            Path f = root.resolve(name);
            if (Files.isRegularFile(f)) {
                for (String line : Files.readAllLines(f)) {
                    questions.add(json.readTree(line).get("question").asText());
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(questions.isEmpty(), "skipped: no GSM8K files under " + root);
        for (String q : questions) {
            assertSame(q);
        }
        assertThat(questions).hasSizeGreaterThan(1000);
    }

    @Test
    void should_decline_tokenizers_it_does_not_reproduce() throws IOException {
        ObjectMapper json = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                EncoderFiles.miniLmFromClasspath().tokenizer().toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("model")).put("type", "BPE");
        assertThat(WordPieceTokenizer.fromJson(root)).isEmpty();
    }

    private static void assertSame(String text) {
        Encoding e = djl.encode(text);
        long[] ids = e.getIds();
        long[] content = Arrays.copyOfRange(ids, 1, ids.length - 1); // without the template's [CLS] … [SEP]
        long[] mine = Arrays.stream(java.encode(text)).asLongStream().toArray();
        assertThat(mine).as("ids of %s", text.codePoints().mapToObj(Integer::toHexString).toList())
                .containsExactly(content);
        assertThat(java.templateTokens() + mine.length).isEqualTo(ids.length);
        // what TextEncoder feeds the model: the template's ids around the text, truncated as HuggingFace does
        assertThat(java.withTemplate(java.encode(text), Integer.MAX_VALUE)).as("templated ids of %s", text)
                .containsExactly(ids);
        assertThat(java.withTemplate(java.encode(text), SHORT)).as("ids of %s cut to %d", text, SHORT)
                .containsExactly(djlTruncated.encode(text).getIds());
    }
}
