package dev.shepherd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.onnx.BundleMetadata;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.EncoderKind;
import dev.shepherd.onnx.PredictorBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The static tier through the command line: distill (the real MiniLM model over a 4,000-token slice of its
 * vocabulary, so it takes seconds), train over it by directory and by {@code --encoder static}, replay with it.
 */
class DistillCommandIT {

    @TempDir
    Path dir;

    /** MiniLM's model beside its tokenizer cut to the first 4,000 ids, in {@code dir/minilm-cut}. */
    static Path cutMiniLm(Path dir) throws IOException {
        EncoderFiles full = EncoderFiles.miniLmFromClasspath();
        Path out = Files.createDirectories(dir.resolve("minilm-cut"));
        try {
            Files.createLink(out.resolve("model.onnx"), full.model());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(full.model(), out.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode tok = (ObjectNode) json.readTree(full.tokenizer().toFile());
        ObjectNode kept = json.createObjectNode();
        tok.get("model").get("vocab").fields().forEachRemaining(e -> {
            if (e.getValue().asInt() < 4000) {
                kept.set(e.getKey(), e.getValue());
            }
        });
        ((ObjectNode) tok.get("model")).set("vocab", kept);
        json.writeValue(out.resolve("tokenizer.json").toFile(), tok);
        return out;
    }

    @Test
    void should_distill_train_over_the_static_encoder_and_replay_with_it() throws IOException {
        // given
        Path trace = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        Path fast = dir.resolve("fast");

        // when: distil, then train by directory and by keyword (the cache holds the distilled slice)
        CliRun distill = CliRun.of("distill", "--encoder", cutMiniLm(dir).toString(), "--out", fast.toString(),
                "--dimensions", "32", "--weighting", "sif");
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache.resolve("static-encoders"));
        copyTree(fast, cache.resolve("static-encoders").resolve(EncoderFiles.MINILM_ID));
        CliRun byDir = CliRun.of("train", "--trace", "routellm:" + trace, "--limit", "80", "--max-epochs", "3",
                "--encoder", fast.toString(), "--out", dir.resolve("router-dir").toString());
        CliRun byKeyword = CliRun.of("train", "--trace", "routellm:" + trace, "--limit", "80", "--max-epochs", "3",
                "--encoder", "static", "--cache-dir", cache.toString(), "--out", dir.resolve("router").toString());
        CliRun eval = CliRun.of("eval", "--trace", "routellm:" + trace, "--limit", "120", "--predictor",
                dir.resolve("router").toString());

        // then
        assertThat(distill.exitCode()).as(distill.err()).isZero();
        assertThat(distill.out()).contains("distilled 4000 tokens of minilm-cut", "4000 x 32 int8, sif weights");
        assertThat(fast.resolve("static-embeddings.bin")).isRegularFile();
        assertThat(byDir.exitCode()).as(byDir.err()).isZero();
        assertThat(byKeyword.exitCode()).as(byKeyword.err()).isZero();
        assertThat(byKeyword.err()).doesNotContain("distilling"); // the cached table was used
        for (String b : new String[] {"router-dir", "router"}) {
            BundleMetadata meta = PredictorBundle.at(dir.resolve(b)).readHeads().get(0).metadata();
            assertThat(meta.encoderKind()).as(b).isEqualTo(EncoderKind.STATIC);
            assertThat(meta.encoderId()).as(b).isEqualTo("minilm-cut-static");
            assertThat(dir.resolve(b).resolve("encoder/model.onnx")).doesNotExist();
        }
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("routing");
    }

    @Test
    void should_refuse_an_encoder_directory_holding_no_encoder() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun train = CliRun.of("train", "--labels", dir.resolve("none.jsonl").toString(), "--encoder",
                empty.toString(), "--out", dir.resolve("b").toString());
        assertThat(train.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(train.err()).contains("--encoder", empty.toString());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
