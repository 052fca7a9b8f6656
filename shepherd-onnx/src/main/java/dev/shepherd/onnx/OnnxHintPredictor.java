package dev.shepherd.onnx;

import ai.djl.Device;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.internal.BundleFiles;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.HeadsRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-stage hint predictor served from a bundle directory written by
 * {@link TrainedPredictor#export(Path)}: tokenize + encode with the bundle's encoder, then the heads
 * graph, both through ONNX Runtime via DJL (CPU by default, CUDA with {@link Options#gpu()} and the
 * {@code cuda} Maven profile).
 *
 * <p>The caller supplies the features the bundle was trained on except {@code query_length} and the
 * {@link QueryFeatures}, which are computed here from the query ({@link #requiredFeatures()}); missing, unexpected or non-finite features are
 * rejected with an {@link IllegalArgumentException} naming them. An over-long query is truncated to
 * the encoder's max length and the prediction says so ({@link HintPrediction#queryTruncated()}).
 *
 * <p>Thread-safe. {@link #close()} is idempotent and releases native memory.
 */
public final class OnnxHintPredictor implements HintPredictor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxHintPredictor.class);
    private static final int BATCH = 32;

    private final Path dir;
    private final BundleMetadata metadata;
    private final TextEncoder encoder;
    private final boolean ownsEncoder;
    private final HeadsRunner heads;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxHintPredictor(Path dir, BundleMetadata metadata, TextEncoder encoder, boolean ownsEncoder,
                              HeadsRunner heads) {
        this.dir = dir;
        this.metadata = metadata;
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.heads = heads;
    }

    /** Loads a bundle on the CPU with its own encoder. */
    public static OnnxHintPredictor load(Path bundleDir) {
        return load(bundleDir, Options.cpu());
    }

    /**
     * Loads a bundle.
     *
     * @throws BundleException naming the file when a bundle file is missing or corrupt, or the encoder
     *                         does not fit the heads (dimension, id, tokenizer)
     */
    public static OnnxHintPredictor load(Path bundleDir, Options options) {
        Objects.requireNonNull(bundleDir, "bundleDir");
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(bundleDir)) {
            throw new BundleException(bundleDir, "bundle directory is missing");
        }
        BundleMetadata meta = BundleFiles.readMetadata(bundleDir);
        TextEncoder encoder = options.encoder;
        boolean owns = encoder == null;
        if (owns) {
            encoder = loadEncoder(bundleDir, meta, options);
        }
        try {
            checkEncoder(bundleDir, meta, encoder);
            HeadsRunner heads = new HeadsRunner(bundleDir.resolve(BundleFiles.HEADS), options.device);
            LOG.info("predictor bundle {} loaded: features {}, encoder {}, rule {}", bundleDir, meta.featureNames(),
                    meta.encoderId(), meta.rule());
            return new OnnxHintPredictor(bundleDir, meta, encoder, owns, heads);
        } catch (RuntimeException e) {
            if (owns) {
                encoder.close();
            }
            throw e;
        }
    }

    private static TextEncoder loadEncoder(Path dir, BundleMetadata meta, Options options) {
        try {
            return TextEncoder.builder(new EncoderFiles(BundleFiles.encoderModelPath(dir),
                            BundleFiles.encoderTokenizerPath(dir))).id(meta.encoderId()).pooling(meta.pooling())
                    .maxLength(meta.maxLength()).normalize(meta.normalize()).device(options.device)
                    .threads(options.threads).memoryArena(options.memoryArena).build();
        } catch (EncoderException e) {
            throw new BundleException(e.file() == null ? dir : e.file(), "bundle encoder unusable: " + e.getMessage(), e);
        }
    }

    private static void checkEncoder(Path dir, BundleMetadata meta, TextEncoder encoder) {
        Path model = encoder.files().model();
        if (encoder.dimension() != meta.embeddingDim()) {
            throw new BundleException(model, "encoder gives " + encoder.dimension() + "-dimensional vectors but the heads in "
                    + dir.resolve(BundleFiles.HEADS) + " expect " + meta.embeddingDim());
        }
        if (!encoder.id().equals(meta.encoderId()) || encoder.pooling() != meta.pooling()
                || encoder.maxLength() != meta.maxLength() || encoder.normalize() != meta.normalize()) {
            throw new BundleException(model, "encoder " + encoder + " (normalize=" + encoder.normalize()
                    + ") is not the one the heads were trained over: " + meta.encoderId() + ", " + meta.pooling()
                    + ", maxLength=" + meta.maxLength() + ", normalize=" + meta.normalize());
        }
    }

    /** The bundle's metadata (features, encoder, rule, validation metrics). */
    public BundleMetadata metadata() {
        return metadata;
    }

    /** The decision rule stored in the bundle (α, η_hint, N_max). */
    public HintDecisionRule decisionRule() {
        return metadata.rule();
    }

    /** The encoder in use. */
    public TextEncoder encoder() {
        return encoder;
    }

    @Override
    public Set<String> requiredFeatures() {
        return QueryFeatures.callerSupplied(metadata.featureNames());
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        return predictAll(List.of(query), List.of(features)).get(0);
    }

    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        List<EncodedText> encoded = new ArrayList<>(queries.size());
        return HeadOutput.predictions(headOutputs(queries, features, encoded), encoded);
    }

    /** Raw head outputs as ONNX Runtime computes them. */
    public List<HeadOutput> headOutputs(List<Query> queries, List<Features> features) {
        return headOutputs(queries, features, new ArrayList<>());
    }

    private List<HeadOutput> headOutputs(List<Query> queries, List<Features> features, List<EncodedText> encodedOut) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(features, "features");
        if (queries.size() != features.size()) {
            throw new IllegalArgumentException("queries and features must have the same size but were "
                    + queries.size() + " and " + features.size());
        }
        if (closed.get()) {
            throw new IllegalStateException("predictor for bundle " + dir + " is closed");
        }
        int nf = metadata.featureNames().size();
        int d = metadata.embeddingDim();
        List<HeadOutput> out = new ArrayList<>(queries.size());
        for (int from = 0; from < queries.size(); from += BATCH) {
            int to = Math.min(from + BATCH, queries.size());
            int rows = to - from;
            float[] x = new float[rows * nf];
            for (int i = from; i < to; i++) {
                Objects.requireNonNull(queries.get(i), "queries[" + i + "]");
                Objects.requireNonNull(features.get(i), "features[" + i + "]");
            }
            List<EncodedText> enc = encoder.encodeAll(queries.subList(from, to).stream().map(Query::text).toList());
            float[] e = new float[rows * d];
            for (int r = 0; r < rows; r++) {
                double[] f = FeatureVector.assemble(metadata.featureNames(), features.get(from + r).asMap(),
                        enc.get(r).tokens(), queries.get(from + r).text(), "bundle " + dir);
                for (int j = 0; j < nf; j++) {
                    x[r * nf + j] = (float) f[j];
                }
                System.arraycopy(enc.get(r).vector(), 0, e, r * d, d);
            }
            float[][] o = heads.run(new HeadsRunner.Input(e, x, rows, d, nf));
            for (int r = 0; r < rows; r++) {
                out.add(new HeadOutput(o[0][r], o[1][r]));
            }
            encodedOut.addAll(enc);
        }
        return out;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            heads.close();
            if (ownsEncoder) {
                encoder.close();
            }
        }
    }

    @Override
    public String toString() {
        return "OnnxHintPredictor[" + dir + ", features=" + metadata.featureNames() + "]";
    }

    /** How to load a bundle. Immutable. */
    public static final class Options {
        private final Device device;
        private final TextEncoder encoder;
        private final int threads;
        private final boolean memoryArena;

        private Options(Device device, TextEncoder encoder, int threads, boolean memoryArena) {
            this.device = device;
            this.encoder = encoder;
            this.threads = threads;
            this.memoryArena = memoryArena;
        }

        /** CPU, the bundle's own encoder, ONNX Runtime's default thread count. */
        public static Options cpu() {
            return new Options(Device.cpu(), null, 0, true);
        }

        /** GPU 0 through CUDA: needs the {@code cuda} Maven profile and CUDA 12 + cuDNN 9 libraries. */
        public static Options gpu() {
            return new Options(Device.gpu(), null, 0, true);
        }

        /** These options with ONNX Runtime limited to {@code threads} intra-op threads for the encoder. */
        public Options threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 but was " + threads);
            }
            return new Options(device, encoder, threads, memoryArena);
        }

        /** These options with ONNX Runtime's CPU memory arena for the encoder on or off (off: lower RSS). */
        public Options memoryArena(boolean enabled) {
            return new Options(device, encoder, threads, enabled);
        }

        /**
         * These options with an already loaded encoder (not owned, not closed by the predictor) instead of
         * the bundle's copy; it must be the encoder the heads were trained over.
         */
        public Options sharedEncoder(TextEncoder sharedEncoder) {
            return new Options(device, Objects.requireNonNull(sharedEncoder, "sharedEncoder"), threads, memoryArena);
        }
    }
}
