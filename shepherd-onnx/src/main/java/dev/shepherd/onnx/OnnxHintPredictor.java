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
import dev.shepherd.onnx.internal.HeadsForward;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-stage hint predictor served from a bundle directory written by
 * {@link TrainedPredictor#export(Path)}: tokenize + encode with the bundle's encoder, then the heads
 * graph, both through ONNX Runtime via DJL (CPU by default, CUDA with {@link Options#gpu()} and the
 * {@code cuda} Maven profile). A bundle whose metadata says {@code shepherd.encoder = static} holds static token
 * embeddings distilled from the transformer instead ({@link StaticEncoder}); it is served entirely in plain Java —
 * the table pooled per query, then the same heads graph's weights in a Java forward pass (one ONNX Runtime call
 * would cost more than that whole decision) — and loads no ONNX Runtime at all.
 *
 * <p>A bundle holds query-only heads ({@code heads.onnx}, for routing and proactive shepherding) and, when its
 * labels had small-model samples, reactive heads ({@code heads-reactive.onnx}, which also read
 * {@code mean_entropy} and {@code mean_output_length}). {@link #forUse(PredictorUse)} returns the view a policy
 * needs and fails at once, with a {@link BundleException}, when the bundle lacks those heads; {@link #rule(PredictorUse)}
 * is the decision rule {@code shepherd calibrate} chose for that use ({@link BundleCalibration}), else the
 * trained one. Used directly as a {@link HintPredictor}, the predictor picks the reactive heads when it is given
 * reactive features and the query-only heads otherwise.
 *
 * <p>The caller supplies the features the heads were trained on except those computed here from the query
 * ({@code query_length} and the {@link QueryFeatures}); missing, unexpected or non-finite features are rejected with an
 * {@link IllegalArgumentException} naming them. An over-long query is truncated to the encoder's max length and
 * the prediction says so ({@link HintPrediction#queryTruncated()}).
 *
 * <p>Thread-safe. {@link #close()} is idempotent and releases native memory.
 */
public final class OnnxHintPredictor implements HintPredictor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxHintPredictor.class);
    private static final int BATCH = 32;

    private final Path dir;
    private final QueryEncoder encoder;
    private final boolean ownsEncoder;
    private final Heads proactive;
    private final Heads reactive;
    private final BundleCalibration calibration;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxHintPredictor(Path dir, QueryEncoder encoder, boolean ownsEncoder, Heads proactive, Heads reactive,
                              BundleCalibration calibration) {
        this.dir = dir;
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.proactive = proactive;
        this.reactive = reactive;
        this.calibration = calibration;
    }

    /**
     * One heads graph and its metadata, run by ONNX Runtime ({@code runner}) or, in a static-encoder bundle, by the
     * Java forward pass over the graph's own weights ({@code forward}); exactly one is set.
     */
    private record Heads(String file, BundleMetadata metadata, HeadsRunner runner, HeadsForward forward, String owner) {
        void close() {
            if (runner != null) {
                runner.close();
            }
        }
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
        boolean hasReactiveFile = Files.isRegularFile(bundleDir.resolve(BundleFiles.REACTIVE_HEADS));
        // heads.onnx is read unless the bundle holds reactive heads alone (then its absence is not an error)
        Map<String, BundleMetadata> metadata = new LinkedHashMap<>();
        if (Files.isRegularFile(bundleDir.resolve(BundleFiles.HEADS)) || !hasReactiveFile) {
            metadata.put(BundleFiles.HEADS, BundleFiles.readMetadata(bundleDir, BundleFiles.HEADS));
        }
        if (hasReactiveFile) {
            metadata.put(BundleFiles.REACTIVE_HEADS, BundleFiles.readMetadata(bundleDir, BundleFiles.REACTIVE_HEADS));
        }
        BundleCalibration calibration = BundleCalibration.read(bundleDir);
        BundleMetadata first = metadata.values().iterator().next();
        QueryEncoder encoder = options.encoder;
        boolean owns = encoder == null;
        if (owns) {
            encoder = loadEncoder(bundleDir, first, options);
        }
        List<Heads> opened = new ArrayList<>();
        try {
            Heads proactive = null;
            Heads reactive = null;
            for (Map.Entry<String, BundleMetadata> e : metadata.entrySet()) {
                checkEncoder(bundleDir, e.getKey(), e.getValue(), encoder);
                Path file = bundleDir.resolve(e.getKey());
                Heads h = e.getValue().encoderKind() == EncoderKind.STATIC
                        ? new Heads(e.getKey(), e.getValue(), null,
                                new HeadsForward(BundleFiles.readWeights(file, e.getValue())), "bundle " + file)
                        : new Heads(e.getKey(), e.getValue(), new HeadsRunner(file, options.device), null,
                                "bundle " + file);
                opened.add(h);
                if (e.getValue().isReactive()) { // a bundle of an older layout may hold reactive heads in heads.onnx
                    reactive = reactive == null ? h : reactive;
                } else {
                    proactive = h;
                }
            }
            LOG.info("predictor bundle {} loaded: query-only heads {}, reactive heads {}, encoder {}, calibrated uses {}",
                    bundleDir, proactive == null ? "none" : proactive.metadata().featureNames(),
                    reactive == null ? "none" : reactive.metadata().featureNames() + " (" + entropyOf(reactive) + ")",
                    first.encoderId(), calibration.entries().keySet());
            return new OnnxHintPredictor(bundleDir, encoder, owns, proactive, reactive, calibration);
        } catch (RuntimeException e) {
            opened.forEach(Heads::close);
            if (owns) {
                encoder.close();
            }
            throw e;
        }
    }

    private static String entropyOf(Heads h) {
        return h.metadata().entropy() == null ? "entropy definition not recorded" : h.metadata().entropy() + " entropy";
    }

    private static QueryEncoder loadEncoder(Path dir, BundleMetadata meta, Options options) {
        try {
            if (meta.encoderKind() == EncoderKind.STATIC) {
                return StaticEncoder.load(BundleFiles.staticTablePath(dir), BundleFiles.encoderTokenizerPath(dir));
            }
            return TextEncoder.builder(new EncoderFiles(BundleFiles.encoderModelPath(dir),
                            BundleFiles.encoderTokenizerPath(dir))).id(meta.encoderId()).pooling(meta.pooling())
                    .maxLength(meta.maxLength()).normalize(meta.normalize()).device(options.device)
                    .threads(options.threads).memoryArena(options.memoryArena).build();
        } catch (EncoderException e) {
            throw new BundleException(e.file() == null ? dir : e.file(), "bundle encoder unusable: " + e.getMessage(), e);
        }
    }

    private static void checkEncoder(Path dir, String file, BundleMetadata meta, QueryEncoder encoder) {
        Path model = encoder instanceof StaticEncoder s ? s.table() : ((TextEncoder) encoder).files().model();
        if (encoder.kind() != meta.encoderKind()) {
            throw new BundleException(model, "encoder " + encoder + " is a " + encoder.kind().metadataValue()
                    + " encoder but the heads in " + dir.resolve(file) + " were trained over a "
                    + meta.encoderKind().metadataValue() + " one (" + meta.encoderId() + ")");
        }
        if (encoder.dimension() != meta.embeddingDim()) {
            throw new BundleException(model, "encoder gives " + encoder.dimension() + "-dimensional vectors but the heads in "
                    + dir.resolve(file) + " expect " + meta.embeddingDim());
        }
        if (!encoder.id().equals(meta.encoderId()) || encoder.pooling() != meta.pooling()
                || encoder.maxLength() != meta.maxLength() || encoder.normalize() != meta.normalize()) {
            throw new BundleException(model, "encoder " + encoder + " (normalize=" + encoder.normalize()
                    + ") is not the one the heads in " + dir.resolve(file) + " were trained over: " + meta.encoderId()
                    + ", " + meta.pooling() + ", maxLength=" + meta.maxLength() + ", normalize=" + meta.normalize());
        }
    }

    /** The metadata of the query-only heads, or of the reactive heads when the bundle has only those. */
    public BundleMetadata metadata() {
        return (proactive != null ? proactive : reactive).metadata();
    }

    /** The metadata of the reactive heads, if the bundle has them. */
    public Optional<BundleMetadata> reactiveMetadata() {
        return Optional.ofNullable(reactive).map(Heads::metadata);
    }

    /** Whether the bundle has reactive heads ({@code heads-reactive.onnx}). */
    public boolean hasReactiveHeads() {
        return reactive != null;
    }

    /** The decision rule stored with the query-only heads (α, η_hint, N_max), as trained. */
    public HintDecisionRule decisionRule() {
        return metadata().rule();
    }

    /** The calibrated rules of the bundle ({@link BundleCalibration#FILE}), possibly empty. */
    public BundleCalibration calibration() {
        return calibration;
    }

    /**
     * The rule for a use: the one {@code shepherd calibrate} chose for it, else the rule stored with the heads that
     * use reads.
     *
     * @throws BundleException when the bundle has no heads for that use
     */
    public HintDecisionRule rule(PredictorUse use) {
        Objects.requireNonNull(use, "use");
        return calibration.entry(use).map(BundleCalibration.Entry::rule).orElseGet(() -> heads(use).metadata().rule());
    }

    /**
     * The predictor a policy of this use needs: the query-only heads for routing and proactive shepherding (no
     * caller-supplied features), the reactive heads for reactive shepherding ({@code mean_entropy} and
     * {@code mean_output_length}). The view shares this predictor's encoder and is closed with it.
     *
     * @throws BundleException naming the bundle when it lacks those heads
     */
    public HintPredictor forUse(PredictorUse use) {
        Heads h = heads(Objects.requireNonNull(use, "use"));
        return new HintPredictor() {
            @Override
            public HintPrediction predict(Query query, Features features) {
                return predictAll(List.of(query), List.of(features)).get(0);
            }

            @Override
            public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
                return run(h, queries, features);
            }

            @Override
            public Set<String> requiredFeatures() {
                return OnnxHintPredictor.requiredFeatures(h);
            }

            @Override
            public String toString() {
                return "OnnxHintPredictor[" + dir + ", " + h.file() + ", features=" + h.metadata().featureNames() + "]";
            }
        };
    }

    private Heads heads(PredictorUse use) {
        if (use == PredictorUse.REACTIVE) {
            if (reactive == null) {
                throw new BundleException(dir.resolve(BundleFiles.REACTIVE_HEADS), "the bundle has no reactive heads, "
                        + "so it cannot serve reactive shepherding: its labels had no small-model samples (label with "
                        + "shepherd label --samples 3, then train again)");
            }
            return reactive;
        }
        if (proactive == null) {
            throw new BundleException(dir.resolve(BundleFiles.HEADS), "the bundle has only reactive heads (features "
                    + reactive.metadata().featureNames() + "), so it cannot serve " + use.policyName()
                    + ", which decides from the query alone; train again with this version");
        }
        return proactive;
    }

    /** The encoder in use: a {@link TextEncoder}, or a {@link StaticEncoder} for a static bundle. */
    public QueryEncoder encoder() {
        return encoder;
    }

    @Override
    public Set<String> requiredFeatures() {
        return requiredFeatures(proactive != null ? proactive : reactive);
    }

    private static Set<String> requiredFeatures(Heads h) {
        return QueryFeatures.callerSupplied(h.metadata().featureNames());
    }

    @Override
    public HintPrediction predict(Query query, Features features) {
        return predictAll(List.of(query), List.of(features)).get(0);
    }

    /**
     * Predicts with the reactive heads when the first query comes with reactive features and the bundle has them,
     * else with the query-only heads.
     */
    @Override
    public List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        return run(pick(features), queries, features);
    }

    private Heads pick(List<Features> features) {
        boolean reactiveInput = !features.isEmpty() && features.get(0) != null
                && (features.get(0).get(Features.MEAN_ENTROPY).isPresent()
                || features.get(0).get(Features.MEAN_OUTPUT_LENGTH).isPresent());
        if (reactiveInput && reactive != null || proactive == null) {
            return reactive;
        }
        return proactive;
    }

    private List<HintPrediction> run(Heads h, List<Query> queries, List<Features> features) {
        List<EncodedText> encoded = new ArrayList<>(queries.size());
        return HeadOutput.predictions(headOutputs(h, queries, features, encoded), encoded);
    }

    /** Raw head outputs as ONNX Runtime computes them (heads chosen as in {@link #predictAll}). */
    public List<HeadOutput> headOutputs(List<Query> queries, List<Features> features) {
        return headOutputs(pick(features), queries, features, new ArrayList<>());
    }

    private List<HeadOutput> headOutputs(Heads h, List<Query> queries, List<Features> features,
                                         List<EncodedText> encodedOut) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(features, "features");
        if (queries.size() != features.size()) {
            throw new IllegalArgumentException("queries and features must have the same size but were "
                    + queries.size() + " and " + features.size());
        }
        if (closed.get()) {
            throw new IllegalStateException("predictor for bundle " + dir + " is closed");
        }
        BundleMetadata metadata = h.metadata();
        for (int i = 0; i < queries.size(); i++) {
            Objects.requireNonNull(queries.get(i), "queries[" + i + "]");
            Objects.requireNonNull(features.get(i), "features[" + i + "]");
        }
        List<HeadOutput> out = new ArrayList<>(queries.size());
        if (h.forward() != null) {
            // static bundle: one query at a time in plain Java; batching buys nothing without a model call
            for (int i = 0; i < queries.size(); i++) {
                String text = queries.get(i).text();
                EncodedText enc = encoder.encode(text);
                double[] f = FeatureVector.assemble(metadata.featureNames(), features.get(i).asMap(), enc.tokens(),
                        text, h.owner());
                float[] o = h.forward().run(enc.vector(), f);
                out.add(new HeadOutput(o[0], o[1]));
                encodedOut.add(enc);
            }
            return out;
        }
        int nf = metadata.featureNames().size();
        int d = metadata.embeddingDim();
        for (int from = 0; from < queries.size(); from += BATCH) {
            int to = Math.min(from + BATCH, queries.size());
            int rows = to - from;
            float[] x = new float[rows * nf];
            List<String> texts = queries.subList(from, to).stream().map(Query::text).toList();
            List<EncodedText> enc = encoder.encodeAll(texts);
            float[] e = new float[rows * d];
            for (int r = 0; r < rows; r++) {
                double[] f = FeatureVector.assemble(metadata.featureNames(), features.get(from + r).asMap(),
                        enc.get(r).tokens(), texts.get(r), h.owner());
                for (int j = 0; j < nf; j++) {
                    x[r * nf + j] = (float) f[j];
                }
                System.arraycopy(enc.get(r).vector(), 0, e, r * d, d);
            }
            float[][] o = h.runner().run(new HeadsRunner.Input(e, x, rows, d, nf));
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
            if (proactive != null) {
                proactive.close();
            }
            if (reactive != null) {
                reactive.close();
            }
            if (ownsEncoder) {
                encoder.close();
            }
        }
    }

    @Override
    public String toString() {
        return "OnnxHintPredictor[" + dir + ", features=" + metadata().featureNames()
                + (reactive != null && proactive != null ? ", reactive " + reactive.metadata().featureNames() : "") + "]";
    }

    /**
     * How to load a bundle. Device, threads and arena configure ONNX Runtime, which a static bundle does not use.
     * Immutable.
     */
    public static final class Options {
        private final Device device;
        private final QueryEncoder encoder;
        private final int threads;
        private final boolean memoryArena;

        private Options(Device device, QueryEncoder encoder, int threads, boolean memoryArena) {
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
        public Options sharedEncoder(QueryEncoder sharedEncoder) {
            return new Options(device, Objects.requireNonNull(sharedEncoder, "sharedEncoder"), threads, memoryArena);
        }
    }
}
