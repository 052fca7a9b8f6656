package dev.shepherd.cli;

import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.Pooling;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.training.StaticDistiller;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the encoder an {@code --encoder} argument names: {@code minilm} (the default, bundled with the command line),
 * {@code static} (MiniLM distilled into static token embeddings once, into the cache directory), or a directory
 * holding a transformer ({@code model.onnx} + {@code tokenizer.json}) or a static encoder written by
 * {@code shepherd distill} ({@code static-embeddings.bin} + {@code tokenizer.json}). Stateless.
 */
final class Encoders {

    /** The default transformer. */
    static final String MINILM = "minilm";
    /** MiniLM distilled into static embeddings with the distiller's defaults. */
    static final String STATIC = "static";

    private Encoders() {
    }

    /**
     * Opens the encoder.
     *
     * @param spec     {@code minilm}, {@code static} or a directory; {@code null} means {@code minilm}
     * @param pooling  pooling of a transformer directory
     * @param cacheDir where {@code static} is distilled to and reused from ({@code null}: {@code ~/.cache/shepherd})
     * @param err      where a one-off distillation says what it is doing
     * @throws InputException when a directory holds neither kind of encoder
     */
    static QueryEncoder open(String spec, Pooling pooling, Path cacheDir, PrintWriter err) {
        if (spec == null || spec.equals(MINILM)) {
            return TextEncoder.miniLm();
        }
        if (spec.equals(STATIC)) {
            return distilledMiniLm(cacheDir, err);
        }
        Path dir = Path.of(spec);
        if (StaticEncoder.isStaticEncoderDirectory(dir)) {
            return StaticEncoder.load(dir);
        }
        if (!Files.isRegularFile(dir.resolve("model.onnx"))) {
            throw new InputException("--encoder", 0, null, "'" + spec + "' is neither minilm, static nor a directory "
                    + "with model.onnx + tokenizer.json (a transformer) or " + StaticEncoder.TABLE_FILE
                    + " + tokenizer.json (from shepherd distill)");
        }
        return TextEncoder.builder(EncoderFiles.inDirectory(dir)).id(dir.getFileName().toString()).pooling(pooling)
                .build();
    }

    /** The cached static MiniLM, distilled on first use (about a minute on two cores). */
    private static StaticEncoder distilledMiniLm(Path cacheDir, PrintWriter err) {
        Path root = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "shepherd");
        Path dir = root.resolve("static-encoders").resolve(EncoderFiles.MINILM_ID);
        if (StaticEncoder.isStaticEncoderDirectory(dir)) {
            try {
                return StaticEncoder.load(dir);
            } catch (BundleException e) {
                err.println("the cached static encoder is unusable (" + e.getMessage() + "): distilling it again");
            }
        }
        try (TextEncoder miniLm = TextEncoder.miniLm()) {
            err.println("distilling " + miniLm.id() + " into static token embeddings (once; cached in " + dir + ")");
            err.flush();
            return StaticDistiller.builder(miniLm).progress(line -> {
                err.println("  " + line);
                err.flush();
            }).build().distill(dir);
        }
    }
}
