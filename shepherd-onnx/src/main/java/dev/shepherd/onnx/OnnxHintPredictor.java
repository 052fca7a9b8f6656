package dev.shepherd.onnx;

import ai.djl.Device;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.internal.HeadsGraph;
import dev.shepherd.onnx.internal.HeadsPredictor;
import dev.shepherd.onnx.internal.HeadsRunner;
import dev.shepherd.onnx.internal.HeadsForward;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-stage hint predictor served from a bundle directory ({@link PredictorBundle}): tokenize + encode with the
 * bundle's encoder, then the heads graph, both through ONNX Runtime's own Java API (CPU by default, CUDA with
 * {@link Options#gpu()} and the {@code cuda} Maven profile). A bundle whose metadata says
 * {@code shepherd.encoder = static} holds static token embeddings distilled from the transformer instead
 * ({@link StaticEncoder}); it is served entirely in plain Java — the table pooled per query, then the same heads
 * graph's weights in a Java forward pass (one ONNX Runtime call would cost more than that whole decision) — and
 * loads no ONNX Runtime at all.
 *
 * <p>A bundle holds query-only heads ({@code heads.onnx}, for routing and proactive shepherding) and, when its
 * labels had small-model samples, reactive heads ({@code heads-reactive.onnx}, which also read
 * {@code mean_entropy} and {@code mean_output_length}). {@link #forUse(PredictorUse)} returns the view a policy
 * needs and fails at once, with a {@link BundleException}, when the bundle lacks those heads.
 *
 * <p><b>Loading applies the calibrated rule.</b> {@link #rule(PredictorUse)} is the rule that {@code shepherd
 * calibrate} (or {@code shepherd train}) stored for the use in the bundle's {@value PredictorBundle#CALIBRATION},
 * else the rule stored with the heads at training; {@link #ruleSource(PredictorUse)} says which, and {@link #load}
 * logs every use's rule and its source at INFO. {@link #decisionRule()} is the rule of {@link #defaultUse()}.
 * Used directly as a {@link HintPredictor}, the predictor picks the reactive heads when it is given reactive
 * features and the query-only heads otherwise.
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

    /** Where the rule of a use comes from. */
    public enum RuleSource {
        /** Chosen by calibration on label records and stored in {@value PredictorBundle#CALIBRATION}. */
        CALIBRATED,
        /** Stored with the heads at training: the bundle has no calibrated rule for the use. */
        TRAINED
    }

    private final PredictorBundle bundle;
    private final QueryEncoder encoder;
    private final boolean ownsEncoder;
    private final Heads proactive;
    private final Heads reactive;
    private final BundleCalibration calibration;
    private final AtomicBoolean closed;

    private OnnxHintPredictor(PredictorBundle bundle, QueryEncoder encoder, boolean ownsEncoder, Heads proactive,
                              Heads reactive, BundleCalibration calibration, AtomicBoolean closed) {
        this.bundle = bundle;
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.proactive = proactive;
        this.reactive = reactive;
        this.calibration = calibration;
        this.closed = closed;
    }

    /**
     * One heads graph: its file and metadata, its ONNX Runtime session ({@code null} in a static-encoder bundle, whose
     * heads run in the Java forward pass over the graph's own weights), and the predictor over it;
     * {@code readsEmbedding} false when its outputs ignore the embedding (features-only heads), so a decision
     * tokenizes the query but never runs the encoder's transformer.
     */
    private record Heads(PredictorBundle.HeadsFile file, HeadsRunner runner, HeadsPredictor predictor,
                         boolean readsEmbedding) {

        BundleMetadata metadata() {
            return file.metadata();
        }

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
     * Loads a bundle: its heads, its encoder (unless {@link Options#sharedEncoder} gives one) and its calibrated
     * rules; logs at INFO which rule each use applies and where it comes from.
     *
     * @throws BundleException naming the file when a bundle file is missing or corrupt, or the encoder
     *                         does not fit the heads (dimension, id, tokenizer)
     */
    public static OnnxHintPredictor load(Path bundleDir, Options options) {
        Objects.requireNonNull(bundleDir, "bundleDir");
        Objects.requireNonNull(options, "options");
        PredictorBundle bundle = PredictorBundle.at(bundleDir);
        List<PredictorBundle.HeadsFile> files = bundle.readHeads();
        BundleCalibration calibration = bundle.readCalibration();
        BundleMetadata first = files.get(0).metadata();
        List<Boolean> readsEmbedding = new ArrayList<>(files.size());
        for (PredictorBundle.HeadsFile f : files) {
            readsEmbedding.add(!HeadsGraph.ignoresEmbedding(f.file(), f.metadata().embeddingDim()));
        }
        QueryEncoder encoder = options.encoder;
        boolean owns = encoder == null;
        if (owns) {
            // heads that all ignore the embedding need the tokenizer alone: the model loads only if ever asked for
            encoder = loadEncoder(bundle, first, options, !readsEmbedding.contains(true));
        }
        AtomicBoolean closed = new AtomicBoolean();
        List<Heads> opened = new ArrayList<>();
        try {
            Heads proactive = null;
            Heads reactive = null;
            for (int i = 0; i < files.size(); i++) {
                PredictorBundle.HeadsFile f = files.get(i);
                checkEncoder(f, encoder);
                boolean reads = readsEmbedding.get(i);
                HeadsPredictor.Encoding encoding = encoder::encodeAll;
                if (!reads && encoder instanceof TextEncoder t) {
                    LOG.info("heads {} ignore the embedding (features only): decisions tokenize the query but do not "
                            + "run the encoder", f.file());
                    encoding = t::countAll;
                }
                HeadsRunner runner = null;
                HeadsPredictor.Heads run;
                if (f.metadata().encoderKind() == EncoderKind.STATIC) {
                    run = new JavaHeads(new HeadsForward(bundle.readWeights(f)), bundleDir, closed);
                } else {
                    runner = new HeadsRunner(f.file(), options.device);
                    run = new OnnxHeads(f.metadata(), runner, bundleDir, closed);
                }
                Heads h = new Heads(f, runner, new HeadsPredictor("bundle " + f.file(), encoding,
                        f.metadata().featureNames(), run), reads);
                opened.add(h);
                if (f.metadata().isReactive()) { // a bundle of an older layout may hold reactive heads in heads.onnx
                    reactive = reactive == null ? h : reactive;
                } else {
                    proactive = h;
                }
            }
            OnnxHintPredictor p = new OnnxHintPredictor(bundle, encoder, owns, proactive, reactive, calibration,
                    closed);
            LOG.info("predictor bundle {} loaded: query-only heads {}, reactive heads {}, encoder {}; rules: {}",
                    bundleDir, proactive == null ? "none" : proactive.metadata().featureNames(),
                    reactive == null ? "none" : reactive.metadata().featureNames() + " (" + entropyOf(reactive) + ")",
                    first.encoderId(), p.describeRules());
            return p;
        } catch (RuntimeException e) {
            opened.forEach(Heads::close);
            if (owns) {
                encoder.close();
            }
            throw e;
        }
    }

    /**
     * Runs the heads of a static-encoder bundle in the plain-Java forward pass, one row at a time: batching buys
     * nothing without a model call.
     */
    private record JavaHeads(HeadsForward forward, Path dir, AtomicBoolean closed) implements HeadsPredictor.Heads {

        @Override
        public List<HeadOutput> run(List<EncodedText> encoded, double[][] features) {
            List<HeadOutput> out = new ArrayList<>(encoded.size());
            for (int r = 0; r < encoded.size(); r++) {
                float[] o = forward.run(encoded.get(r).vector(), features[r]);
                out.add(new HeadOutput(o[0], o[1]));
            }
            return out;
        }

        @Override
        public void ensureOpen() {
            if (closed.get()) {
                throw new IllegalStateException("predictor for bundle " + dir + " is closed");
            }
        }
    }

    /** Runs one heads graph through ONNX Runtime: the rows' vectors and features as two row-major float tensors. */
    private record OnnxHeads(BundleMetadata metadata, HeadsRunner runner, Path dir, AtomicBoolean closed)
            implements HeadsPredictor.Heads {

        @Override
        public List<HeadOutput> run(List<EncodedText> encoded, double[][] features) {
            int rows = encoded.size();
            int d = metadata.embeddingDim();
            int nf = metadata.featureNames().size();
            float[] e = new float[rows * d];
            float[] x = new float[rows * nf];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(encoded.get(r).vector(), 0, e, r * d, d);
                for (int j = 0; j < nf; j++) {
                    x[r * nf + j] = (float) features[r][j];
                }
            }
            float[][] o = runner.run(new HeadsRunner.Input(e, x, rows, d, nf));
            List<HeadOutput> out = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                out.add(new HeadOutput(o[0][r], o[1][r]));
            }
            return out;
        }

        @Override
        public void ensureOpen() {
            if (closed.get()) {
                throw new IllegalStateException("predictor for bundle " + dir + " is closed");
            }
        }
    }

    private static String entropyOf(Heads h) {
        return h.metadata().entropy() == null ? "entropy definition not recorded" : h.metadata().entropy() + " entropy";
    }

    private static QueryEncoder loadEncoder(PredictorBundle bundle, BundleMetadata meta, Options options,
                                            boolean tokenizerOnly) {
        if (meta.encoderKind() == EncoderKind.STATIC) {
            return bundle.staticEncoder();
        }
        TextEncoder.Builder b = TextEncoder.builder(bundle.encoderFiles()).id(meta.encoderId()).pooling(meta.pooling())
                .maxLength(meta.maxLength()).normalize(meta.normalize()).device(options.device)
                .threads(options.threads).memoryArena(options.memoryArena);
        return (tokenizerOnly ? b.deferModel(meta.embeddingDim()) : b).build();
    }

    private static void checkEncoder(PredictorBundle.HeadsFile file, QueryEncoder encoder) {
        BundleMetadata meta = file.metadata();
        Path model = encoder instanceof StaticEncoder s ? s.table() : ((TextEncoder) encoder).files().model();
        if (encoder.kind() != meta.encoderKind()) {
            throw new BundleException(model, "encoder " + encoder + " is a " + encoder.kind().metadataValue()
                    + " encoder but the heads in " + file.file() + " were trained over a "
                    + meta.encoderKind().metadataValue() + " one (" + meta.encoderId() + ")");
        }
        if (encoder.dimension() != meta.embeddingDim()) {
            throw new BundleException(model, "encoder gives " + encoder.dimension() + "-dimensional vectors but the heads in "
                    + file.file() + " expect " + meta.embeddingDim());
        }
        if (!encoder.id().equals(meta.encoderId()) || encoder.pooling() != meta.pooling()
                || encoder.maxLength() != meta.maxLength() || encoder.normalize() != meta.normalize()) {
            throw new BundleException(model, "encoder " + encoder + " (normalize=" + encoder.normalize()
                    + ") is not the one the heads in " + file.file() + " were trained over: " + meta.encoderId()
                    + ", " + meta.pooling() + ", maxLength=" + meta.maxLength() + ", normalize=" + meta.normalize());
        }
    }

    /** The bundle this predictor was loaded from. */
    public PredictorBundle bundle() {
        return bundle;
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

    /**
     * The use this predictor serves when used directly as a {@link HintPredictor} without reactive features:
     * {@link PredictorUse#PROACTIVE} when the bundle has query-only heads, else {@link PredictorUse#REACTIVE}.
     */
    public PredictorUse defaultUse() {
        return proactive != null ? PredictorUse.PROACTIVE : PredictorUse.REACTIVE;
    }

    /**
     * The decision rule of {@link #defaultUse()}: the calibrated one when the bundle has it (see
     * {@link #ruleSource(PredictorUse)}), so a library user who loads a calibrated bundle gets the rule that
     * {@code shepherd calibrate} printed.
     */
    public HintDecisionRule decisionRule() {
        return rule(defaultUse());
    }

    /** The calibrated rules of the bundle ({@value PredictorBundle#CALIBRATION}), possibly empty. */
    public BundleCalibration calibration() {
        return calibration;
    }

    /**
     * The rule for a use: the one calibration chose for it, else the rule stored with the heads that use reads.
     *
     * @throws BundleException when the bundle has no heads for that use
     */
    public HintDecisionRule rule(PredictorUse use) {
        Objects.requireNonNull(use, "use");
        return calibration.entry(use).map(BundleCalibration.Entry::rule).orElseGet(() -> heads(use).metadata().rule());
    }

    /** Where {@link #rule(PredictorUse)} comes from for a use. */
    public RuleSource ruleSource(PredictorUse use) {
        Objects.requireNonNull(use, "use");
        return calibration.entry(use).isPresent() ? RuleSource.CALIBRATED : RuleSource.TRAINED;
    }

    /** Every use this bundle can serve with its rule and the rule's source, for the load log. */
    private String describeRules() {
        StringJoiner out = new StringJoiner("; ");
        for (PredictorUse use : PredictorUse.values()) {
            if ((use == PredictorUse.REACTIVE ? reactive : proactive) == null) {
                continue;
            }
            HintDecisionRule r = rule(use);
            Optional<BundleCalibration.Entry> e = calibration.entry(use);
            out.add(String.format(Locale.ROOT, "%s alpha=%s eta_hint=%d max_hint=%d hint_scale=%s%s (%s)", use.key(),
                    r.alpha(), r.etaHint(), r.maxHint(), r.hintScale(),
                    e.map(BundleCalibration.Entry::agreement).map(k -> " k=" + k).orElse(""),
                    e.isPresent() ? "calibrated on " + e.get().records() + " records" : "as trained, not calibrated"));
        }
        return out.toString();
    }

    /**
     * The predictor a policy of this use needs: the query-only heads for routing and proactive shepherding (no
     * caller-supplied features), the reactive heads for reactive shepherding ({@code mean_entropy} and
     * {@code mean_output_length}). The view shares this predictor's encoder and is closed with it.
     *
     * @throws BundleException naming the bundle when it lacks those heads
     */
    public HintPredictor forUse(PredictorUse use) {
        return heads(Objects.requireNonNull(use, "use")).predictor();
    }

    private Heads heads(PredictorUse use) {
        if (use == PredictorUse.REACTIVE) {
            if (reactive == null) {
                throw new BundleException(bundle.dir().resolve(PredictorBundle.REACTIVE_HEADS), "the bundle has no "
                        + "reactive heads, so it cannot serve reactive shepherding: its labels had no small-model "
                        + "samples (label with shepherd label --samples 3, then train again)");
            }
            return reactive;
        }
        if (proactive == null) {
            throw new BundleException(bundle.dir().resolve(PredictorBundle.HEADS), "the bundle has only reactive heads "
                    + "(features " + reactive.metadata().featureNames() + "), so it cannot serve " + use.policyName()
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
        return heads(defaultUse()).predictor().requiredFeatures();
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
        return pick(features).predictor().predictAll(queries, features);
    }

    /** Raw head outputs as ONNX Runtime computes them (heads chosen as in {@link #predictAll}). */
    public List<HeadOutput> headOutputs(List<Query> queries, List<Features> features) {
        return pick(features).predictor().headOutputs(queries, features);
    }

    private Heads pick(List<Features> features) {
        Objects.requireNonNull(features, "features");
        boolean reactiveInput = !features.isEmpty() && features.get(0) != null
                && (features.get(0).get(Features.MEAN_ENTROPY).isPresent()
                || features.get(0).get(Features.MEAN_OUTPUT_LENGTH).isPresent());
        if (reactiveInput && reactive != null || proactive == null) {
            return reactive;
        }
        return proactive;
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
        return "OnnxHintPredictor[" + bundle.dir() + ", features=" + metadata().featureNames()
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
