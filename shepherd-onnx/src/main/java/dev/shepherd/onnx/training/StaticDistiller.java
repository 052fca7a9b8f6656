package dev.shepherd.onnx.training;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.internal.StaticTable;
import dev.shepherd.onnx.internal.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distills a transformer into static token embeddings (Model2Vec-style): every vocabulary token of the
 * transformer's own tokenizer is run through the transformer alone ({@code [CLS] token [SEP]}) and its pooled
 * output kept — one vector per token; the vectors are centred and reduced by PCA, weighted by token rank (the
 * weight folded into each row) and stored as int8 rows with a scale each. At request time a
 * {@link StaticEncoder} sums the rows of a query's tokens and normalises: no transformer at all.
 *
 * <p>A one-off command: all 30,522 MiniLM tokens take about a minute on two cores (rows of three tokens, batched).
 * The same source and settings give the same table.
 *
 * <pre>{@code
 * try (TextEncoder miniLm = TextEncoder.miniLm()) {
 *     StaticEncoder fast = StaticDistiller.builder(miniLm).build().distill(Path.of("encoder-static"));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class StaticDistiller {

    /** How the table stores its values. */
    public enum Quantization {
        /** int8 with a float32 scale per row (default): 1 byte per value. */
        INT8,
        /** IEEE half precision: 2 bytes per value. */
        FLOAT16
    }

    private static final Logger LOG = LoggerFactory.getLogger(StaticDistiller.class);

    private final TextEncoder source;
    private final int dimensions;
    private final TokenWeighting weighting;
    private final Quantization quantization;
    private final int batchSize;
    private final String id;
    private final Consumer<String> progress;

    private StaticDistiller(Builder b) {
        this.source = b.source;
        this.dimensions = b.dimensions;
        this.weighting = b.weighting;
        this.quantization = b.quantization;
        this.batchSize = b.batchSize;
        this.id = b.id != null ? b.id : b.source.id() + "-static";
        this.progress = b.progress;
    }

    /** A distiller of {@code source} (not owned; its files, pooling and max length are used). */
    public static Builder builder(TextEncoder source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /** Id of the static encoder this distiller writes (default: the source's id + {@code -static}). */
    public String id() {
        return id;
    }

    /**
     * Distills into {@code dir}: {@value StaticEncoder#TABLE_FILE} and {@value StaticEncoder#TOKENIZER_FILE}.
     *
     * @return the static encoder, loaded from what was written
     * @throws BundleException     when the source model fails
     * @throws UncheckedIOException when {@code dir} cannot be written
     */
    public StaticEncoder distill(Path dir) {
        return write(tokenVectors(), dir);
    }

    /**
     * Step one, the expensive one: the source's pooled, unnormalised output for every token id, as
     * {@code [CLS] id [SEP]} (or whatever the tokenizer's template wraps a text in). Unnormalised, because a
     * token's vector length carries how much it says; the query vector is normalised after pooling.
     */
    public float[][] tokenVectors() {
        Path tokenizer = source.files().tokenizer();
        int vocabulary;
        long[] prefix;
        long[] suffix;
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer)
                .optPadding(false).optTruncation(false).optAddSpecialTokens(true).build()) {
            vocabulary = Tokenizers.vocabularySize(tokenizer);
            // where the template puts the text: compare a word with and without the special tokens
            long[] with = hf.encode("word").getIds();
            long[] bare = hf.encode("word", false, false).getIds();
            int at = indexOf(with, bare);
            if (at < 0) {
                throw new BundleException(tokenizer, "cannot find the text inside the tokenizer's template");
            }
            prefix = Arrays.copyOfRange(with, 0, at);
            suffix = Arrays.copyOfRange(with, at + bare.length, with.length);
        } catch (IOException e) {
            throw new BundleException(tokenizer, "not a readable HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        float[][] out = new float[vocabulary][];
        try (TextEncoder raw = TextEncoder.builder(source.files()).id(source.id()).pooling(source.pooling())
                .maxLength(source.maxLength()).normalize(false).build()) {
            for (int from = 0; from < vocabulary; from += batchSize) {
                int to = Math.min(from + batchSize, vocabulary);
                List<long[]> rows = new ArrayList<>(to - from);
                for (int t = from; t < to; t++) {
                    long[] row = new long[prefix.length + 1 + suffix.length];
                    System.arraycopy(prefix, 0, row, 0, prefix.length);
                    row[prefix.length] = t;
                    System.arraycopy(suffix, 0, row, prefix.length + 1, suffix.length);
                    rows.add(row);
                }
                float[][] v = raw.encodeTokenIds(rows);
                System.arraycopy(v, 0, out, from, v.length);
                if (progress != null && (from / batchSize) % 10 == 9) {
                    progress.accept(String.format(Locale.ROOT, "%d / %d tokens (%.0f s)", to, vocabulary,
                            (System.nanoTime() - start) / 1e9));
                }
            }
        }
        LOG.info("distilled {} token vectors of {} in {} s", vocabulary, source.id(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        return out;
    }

    private static int indexOf(long[] haystack, long[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Step two: PCA, weighting and quantization of the token vectors; writes the table and a copy of the source's
     * tokenizer into {@code dir} and loads them. Separate from {@link #tokenVectors()} so that one distillation
     * can be written with several settings.
     *
     * @param tokenVectors one vector per token id, as {@link #tokenVectors()} returns them
     * @throws UncheckedIOException when {@code dir} cannot be written
     */
    public StaticEncoder write(float[][] tokenVectors, Path dir) {
        Objects.requireNonNull(tokenVectors, "tokenVectors");
        Objects.requireNonNull(dir, "dir");
        int width = tokenVectors[0].length;
        float[][] rows = tokenVectors;
        int components = 0;
        if (dimensions > 0) {
            components = Math.min(dimensions, width);
            rows = EigenPca.fit(tokenVectors, components).apply(tokenVectors);
        }
        double[] w = weighting.weights(rows.length);
        float[][] weighted = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            weighted[t] = new float[rows[t].length];
            for (int j = 0; j < rows[t].length; j++) {
                weighted[t][j] = (float) (rows[t][j] * w[t]);
            }
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("source.id", source.id());
        d.put("source.pooling", source.pooling().name());
        d.put("source.dimension", Integer.toString(width));
        d.put("max_length", Integer.toString(source.maxLength()));
        d.put("normalize", "true");
        d.put("pca.components", Integer.toString(components));
        d.put("weighting", weighting.name().toLowerCase(Locale.ROOT));
        d.put("quantization", quantization.name().toLowerCase(Locale.ROOT));
        d.put("distilled_at", Instant.now().toString());
        StaticTable table = StaticTable.of(weighted, quantization == Quantization.INT8 ? StaticTable.Quantization.INT8
                : StaticTable.Quantization.FLOAT16, d);
        try {
            Files.createDirectories(dir);
            table.write(dir.resolve(StaticEncoder.TABLE_FILE));
            Files.copy(source.files().tokenizer(), dir.resolve(StaticEncoder.TOKENIZER_FILE),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the static encoder into " + dir, e);
        }
        return StaticEncoder.load(dir);
    }

    /** Configures a {@link StaticDistiller}. Not thread-safe; each setter validates at once. */
    public static final class Builder {
        private final TextEncoder source;
        private int dimensions = 256;
        private TokenWeighting weighting = TokenWeighting.SIF;
        private Quantization quantization = Quantization.INT8;
        private int batchSize = 512;
        private String id;
        private Consumer<String> progress;

        private Builder(TextEncoder source) {
            this.source = source;
        }

        /** PCA components kept, ≥ 1 (capped at the source's width); 0 keeps the raw vectors. Default 256. */
        public Builder dimensions(int dimensions) {
            if (dimensions < 0) {
                throw new IllegalArgumentException("dimensions must be >= 0 but was " + dimensions);
            }
            this.dimensions = dimensions;
            return this;
        }

        /** Token weighting; default {@link TokenWeighting#SIF}. */
        public Builder weighting(TokenWeighting weighting) {
            this.weighting = Objects.requireNonNull(weighting, "weighting");
            return this;
        }

        /** Storage; default {@link Quantization#INT8}. */
        public Builder quantization(Quantization quantization) {
            this.quantization = Objects.requireNonNull(quantization, "quantization");
            return this;
        }

        /** Token rows per model call, ≥ 1; default 512. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Id of the static encoder (written into bundles); default the source's id + {@code -static}. */
        public Builder id(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank but was '" + id + "'");
            }
            this.id = id;
            return this;
        }

        /** Receives a line every few thousand tokens (for a command line); default none. */
        public Builder progress(Consumer<String> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public StaticDistiller build() {
            return new StaticDistiller(this);
        }
    }
}
