package dev.shepherd.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.onnx.training.StaticDistiller;
import dev.shepherd.onnx.training.TokenWeighting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real distillation, small enough for unit tests: the real MiniLM model with its tokenizer cut to the first
 * {@value #VOCABULARY} ids (the special tokens, characters and the most frequent words: "how", "many", "have", "left",
 * "sold", "tom", ...; other words tokenize to [UNK]), distilled once per test JVM in a few seconds.
 */
public final class StaticFixture {

    /** Token ids kept. */
    public static final int VOCABULARY = 4000;

    private static TextEncoder source;
    private static StaticEncoder encoder;
    private static float[][] tokenVectors;
    private static Path root;

    private StaticFixture() {
    }

    /** MiniLM (mean pooling, normalised, 256 tokens) over the cut tokenizer. */
    public static synchronized TextEncoder source() {
        if (source == null) {
            try {
                root = Files.createTempDirectory("shepherd-static-fixture");
                Runtime.getRuntime().addShutdownHook(new Thread(StaticFixture::cleanUp));
                EncoderFiles full = SharedEncoder.get().files();
                ObjectMapper json = new ObjectMapper();
                ObjectNode tok = (ObjectNode) json.readTree(full.tokenizer().toFile());
                ObjectNode kept = json.createObjectNode();
                tok.get("model").get("vocab").fields().forEachRemaining(e -> {
                    if (e.getValue().asInt() < VOCABULARY) {
                        kept.set(e.getKey(), e.getValue());
                    }
                });
                ((ObjectNode) tok.get("model")).set("vocab", kept);
                Path cut = root.resolve("tokenizer.json");
                json.writeValue(cut.toFile(), tok);
                source = TextEncoder.builder(new EncoderFiles(full.model(), cut)).id("minilm-cut")
                        .pooling(Pooling.MEAN).normalize(true).maxLength(256).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }

    /** The raw token vectors of {@link #source()} (the distiller's expensive step, done once). */
    public static synchronized float[][] tokenVectors() {
        if (tokenVectors == null) {
            tokenVectors = distiller(64, TokenWeighting.SIF, StaticDistiller.Quantization.INT8).tokenVectors();
        }
        return tokenVectors;
    }

    /** A distiller of {@link #source()} with these settings. */
    public static StaticDistiller distiller(int dimensions, TokenWeighting weighting,
                                            StaticDistiller.Quantization quantization) {
        return StaticDistiller.builder(source()).dimensions(dimensions).weighting(weighting).quantization(quantization)
                .batchSize(256).build();
    }

    /** The default-style static encoder of the fixture: PCA to 64 dimensions, SIF weights, int8. */
    public static synchronized StaticEncoder encoder() {
        if (encoder == null) {
            encoder = distiller(64, TokenWeighting.SIF, StaticDistiller.Quantization.INT8)
                    .write(tokenVectors(), directory("default"));
        }
        return encoder;
    }

    /** A fresh directory under the fixture's root. */
    public static Path directory(String name) {
        source();
        try {
            return Files.createDirectories(Files.createTempDirectory(root, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cleanUp() {
        if (encoder != null) {
            encoder.close();
        }
        if (source != null) {
            source.close();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: the OS cleans the temp directory
        }
    }
}
