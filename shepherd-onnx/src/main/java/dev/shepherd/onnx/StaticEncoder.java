package dev.shepherd.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.onnx.internal.Djl;
import dev.shepherd.onnx.internal.StaticTable;
import dev.shepherd.onnx.internal.Tokenizers;
import dev.shepherd.onnx.internal.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static token embeddings distilled from a transformer (Model2Vec-style, see
 * {@code dev.shepherd.onnx.training.StaticDistiller}): one stored vector per vocabulary token. A query is
 * tokenised with the transformer's own tokenizer, the vectors of its tokens are summed and L2-normalised —
 * no transformer and no ONNX Runtime at request time, a few microseconds per query in plain Java.
 *
 * <p>Files: {@value #TABLE_FILE} (the table; int8 with a per-row scale or float16, see
 * {@code dev.shepherd.onnx.internal.StaticTable}) and {@value #TOKENIZER_FILE} (the transformer's HuggingFace
 * tokenizer). BERT WordPiece tokenizers run in plain Java (id for id what HuggingFace's gives); any other
 * tokenizer falls back to DJL's native one, ≈ 100 µs slower per query.
 *
 * <p>Token counts follow {@link TextEncoder}: special tokens included, untruncated ({@link #tokenCount}); a query
 * longer than {@link #maxLength()} is pooled over its first tokens and flagged truncated, as the transformer
 * would see it. Special tokens ([CLS], [SEP], [UNK], …) are counted but never pooled.
 *
 * <p>Immutable and thread-safe; {@link #close()} is idempotent (it releases the fallback tokenizer, if any).
 */
public final class StaticEncoder implements QueryEncoder {

    /** The table's file name in an encoder directory. */
    public static final String TABLE_FILE = "static-embeddings.bin";
    /** The tokenizer's file name in an encoder directory. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final Logger LOG = LoggerFactory.getLogger(StaticEncoder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path table;
    private final Path tokenizer;
    private final StaticTable vectors;
    private final WordPieceTokenizer wordPiece;
    private final HuggingFaceTokenizer nativeTokenizer;
    private final int templateTokens;
    private final boolean[] special;
    private final String id;
    private final int maxLength;
    private final boolean normalize;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StaticEncoder(Path table, Path tokenizer) {
        this.table = table;
        this.tokenizer = tokenizer;
        this.vectors = StaticTable.read(table);
        Map<String, String> d = vectors.descriptor();
        this.id = required(d, "id");
        this.maxLength = integer(d, "max_length");
        this.normalize = Boolean.parseBoolean(required(d, "normalize"));
        if (!Files.isRegularFile(tokenizer)) {
            throw new BundleException(tokenizer, "tokenizer of the static encoder is missing");
        }
        JsonNode json;
        try {
            json = JSON.readTree(tokenizer.toFile());
        } catch (IOException e) {
            throw new BundleException(tokenizer, "not a readable HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
        int vocabulary = Tokenizers.vocabularySize(json);
        if (vocabulary != vectors.rows()) {
            throw new BundleException(tokenizer, "tokenizer has " + vocabulary + " token ids but the static table "
                    + table + " has " + vectors.rows() + " rows: they were not distilled together");
        }
        this.special = new boolean[vocabulary];
        for (JsonNode added : json.path("added_tokens")) {
            int tokenId = added.path("id").asInt(-1);
            if (added.path("special").asBoolean(false) && tokenId >= 0 && tokenId < vocabulary) {
                special[tokenId] = true;
            }
        }
        WordPieceTokenizer wp = WordPieceTokenizer.fromJson(json).orElse(null);
        this.wordPiece = wp;
        if (wp != null) {
            this.nativeTokenizer = null;
            this.templateTokens = wp.templateTokens();
        } else {
            // not a BERT WordPiece tokenizer: HuggingFace's own, through DJL (slower, same ids)
            Djl.start();
            try {
                this.nativeTokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optPadding(false)
                        .optAddSpecialTokens(false).optTruncation(false).build();
                try (HuggingFaceTokenizer withSpecials = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer)
                        .optPadding(false).optAddSpecialTokens(true).optTruncation(false).build()) {
                    this.templateTokens = withSpecials.encode("").getIds().length;
                }
            } catch (IOException | RuntimeException e) {
                throw new BundleException(tokenizer, "not a readable HuggingFace tokenizer.json: " + e.getMessage(), e);
            }
        }
        LOG.info("static encoder '{}' loaded from {} ({} x {}, {}, {} tokenizer)", id, table, vectors.rows(),
                vectors.dimension(), vectors.quantization(), wp != null ? "plain-Java WordPiece" : "DJL");
    }

    private String required(Map<String, String> d, String key) {
        String v = d.get(key);
        if (v == null) {
            throw new BundleException(table, "static embedding table descriptor lacks '" + key + "'");
        }
        return v;
    }

    private int integer(Map<String, String> d, String key) {
        try {
            return Integer.parseInt(required(d, key));
        } catch (NumberFormatException e) {
            throw new BundleException(table, "static embedding table descriptor '" + key + "' must be an integer "
                    + "but was " + d.get(key));
        }
    }

    /**
     * Loads {@code dir/}{@value #TABLE_FILE} and {@code dir/}{@value #TOKENIZER_FILE} (what the distiller writes).
     *
     * @throws BundleException naming the file when one is missing, corrupt or they do not belong together
     */
    public static StaticEncoder load(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return load(dir.resolve(TABLE_FILE), dir.resolve(TOKENIZER_FILE));
    }

    /**
     * Loads a table and its tokenizer.
     *
     * @throws BundleException naming the file when one is missing, corrupt or they do not belong together
     */
    public static StaticEncoder load(Path table, Path tokenizer) {
        return new StaticEncoder(Objects.requireNonNull(table, "table"), Objects.requireNonNull(tokenizer, "tokenizer"));
    }

    /** Whether {@code dir} holds a static encoder ({@value #TABLE_FILE}). */
    public static boolean isStaticEncoderDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(TABLE_FILE));
    }

    /** The table file. */
    public Path table() {
        return table;
    }

    /** The tokenizer file. */
    public Path tokenizer() {
        return tokenizer;
    }

    /**
     * What the distiller recorded: {@code id}, {@code source.id} (the transformer), {@code pca.components},
     * {@code weighting}, {@code quantization}, … Immutable.
     */
    public Map<String, String> properties() {
        return vectors.descriptor();
    }

    /** Number of token ids (rows of the table). */
    public int vocabularySize() {
        return vectors.rows();
    }

    @Override
    public String id() {
        return id;
    }

    /** {@link EncoderKind#STATIC}. */
    @Override
    public EncoderKind kind() {
        return EncoderKind.STATIC;
    }

    /** {@link Pooling#MEAN}: a sum of token vectors, normalised. */
    @Override
    public Pooling pooling() {
        return Pooling.MEAN;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean normalize() {
        return normalize;
    }

    @Override
    public int dimension() {
        return vectors.dimension();
    }

    @Override
    public int tokenCount(String text) {
        return ids(Objects.requireNonNull(text, "text")).length + templateTokens;
    }

    @Override
    public EncodedText encode(String text) {
        Objects.requireNonNull(text, "text");
        int[] ids = ids(text);
        int tokens = ids.length + templateTokens;
        int pooled = Math.min(ids.length, Math.max(0, maxLength - templateTokens));
        float[] v = new float[vectors.dimension()];
        int count = 0;
        for (int i = 0; i < pooled; i++) {
            int t = ids[i];
            if (!special[t]) {
                vectors.addTo(t, v);
                count++;
            }
        }
        if (normalize) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            if (norm > 0) {
                float inv = (float) (1 / Math.sqrt(norm));
                for (int j = 0; j < v.length; j++) {
                    v[j] *= inv;
                }
            }
        } else if (count > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= count;
            }
        }
        return new EncodedText(v, tokens, tokens > maxLength);
    }

    @Override
    public List<EncodedText> encodeAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<EncodedText> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(encode(Objects.requireNonNull(texts.get(i), "texts[" + i + "]")));
        }
        return out;
    }

    /** Token ids without the template's special tokens, untruncated. */
    private int[] ids(String text) {
        if (closed.get()) {
            throw new IllegalStateException("static encoder '" + id + "' is closed");
        }
        if (wordPiece != null) {
            return wordPiece.encode(text);
        }
        long[] ids = nativeTokenizer.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && nativeTokenizer != null) {
            nativeTokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "StaticEncoder[" + id + ", " + vectors.rows() + " x " + vectors.dimension() + ", "
                + vectors.quantization() + "]";
    }
}
