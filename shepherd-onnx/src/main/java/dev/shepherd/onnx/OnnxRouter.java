package dev.shepherd.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.shepherd.core.Query;
import dev.shepherd.core.tier.TierPredictor;
import dev.shepherd.core.tier.Tiers;
import dev.shepherd.onnx.internal.BundleFiles;
import dev.shepherd.onnx.internal.Djl;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.RouterWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The N-way router served from a bundle written by {@code TrainedRouter.export}: the bundle's encoder embeds the
 * query, {@code router.onnx} gives each model's calibrated probability of answering it well (through ONNX Runtime via
 * DJL, or in plain Java over a static encoder); {@link CostAwareChoice} with the bundle's calibrated λ turns
 * probabilities and estimated costs into a choice.
 *
 * <pre>{@code
 * try (OnnxRouter router = OnnxRouter.load(bundle)) {
 *     double[][] p = router.probabilities(List.of(question));     // [query][model], models in router.models() order
 * }
 * }</pre>
 *
 * <p>The router is a core {@link TierPredictor}, so a {@code TierRouting} policy can route a ladder with it: directly
 * when the ladder's tiers are the router's models in {@link #models()} order, else through {@link #forTiers(Tiers)}.
 * The bundle's encoder is the one the router was trained over: a transformer ({@link TextEncoder}), or static token
 * embeddings distilled from one ({@link StaticEncoder}): such a bundle is served in plain Java, the table pooled per
 * query and the graph's own float32 weights applied in Java — no transformer and no ONNX Runtime at request time.
 *
 * <p>Thread-safe: DJL predictors are pooled. {@link #close()} is idempotent and releases native memory.
 */
public final class OnnxRouter implements TierPredictor, AutoCloseable {

    /** The router's file in a bundle directory. */
    public static final String FILE = PredictorBundle.ROUTER;
    /** Graph input: the query embedding. */
    public static final String INPUT_EMBEDDING = "embedding";
    /** Graph input: the query features. */
    public static final String INPUT_FEATURES = "features";
    /** Graph output: each model's raw success logit. */
    public static final String OUTPUT_LOGIT = "success_logit";
    /** Graph output: each model's calibrated success probability. */
    public static final String OUTPUT_PROBABILITY = "success_probability";

    private static final int BATCH = 32;

    private final Path dir;
    private final RouterMetadata metadata;
    private final QueryEncoder encoder;
    /** The graph in ONNX Runtime (transformer bundles), or null. */
    private final ZooModel<float[][], float[]> model;
    /** The graph's weights in plain Java (static bundles), or null. */
    private final RouterWeights forward;
    private final ConcurrentLinkedDeque<Predictor<float[][], float[]>> pool = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxRouter(Path dir, RouterMetadata metadata, QueryEncoder encoder, ZooModel<float[][], float[]> model,
                       RouterWeights forward) {
        this.dir = dir;
        this.metadata = metadata;
        this.encoder = encoder;
        this.model = model;
        this.forward = forward;
    }

    /** Whether the directory holds a router ({@value #FILE}). */
    public static boolean isRouterBundle(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * Reads and checks the metadata of a bundle's {@value #FILE} without loading anything.
     *
     * @throws BundleException naming the file when it is missing, corrupt or not a router
     */
    public static RouterMetadata readMetadata(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file, FILE + " is missing (not a router bundle directory?)");
        }
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new BundleException(file, "corrupt ONNX file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BundleException(file, "unreadable: " + e.getMessage(), e);
        }
        Map<String, String> props = new LinkedHashMap<>();
        proto.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
        return RouterMetadata.fromProperties(props, file);
    }

    /**
     * Loads a router bundle on the CPU with its own encoder: the transformer or the static encoder the metadata names.
     * A static bundle is served in plain Java from there on (its table, then the graph's weights read back from
     * {@value #FILE}); a transformer bundle runs both through ONNX Runtime.
     *
     * @throws BundleException naming the file when a bundle file is missing or corrupt, or the encoder does not fit
     */
    public static OnnxRouter load(Path dir) {
        Objects.requireNonNull(dir, "dir");
        RouterMetadata meta = readMetadata(dir);
        boolean plainJava = meta.encoderKind() == EncoderKind.STATIC;
        if (!plainJava) {
            Djl.start();
        }
        QueryEncoder encoder;
        try {
            encoder = plainJava ? PredictorBundle.at(dir).staticEncoder()
                    : TextEncoder.builder(PredictorBundle.at(dir).encoderFiles()).id(meta.encoderId())
                            .pooling(meta.pooling()).maxLength(meta.maxLength()).normalize(meta.normalize()).build();
        } catch (BundleException e) {
            throw new BundleException(e.file() == null ? dir : e.file(), "bundle encoder unusable: " + e.getMessage(), e);
        }
        try {
            checkEncoder(dir, meta, encoder);
            if (plainJava) {
                Path file = dir.resolve(FILE);
                return new OnnxRouter(dir, meta, encoder, null, BundleFiles.readRouterWeights(Files.readAllBytes(file),
                        file, meta.embeddingDim(), meta.featureNames().size(), meta.models().size()));
            }
            ZooModel<float[][], float[]> model = Criteria.builder().setTypes(float[][].class, float[].class)
                    .optModelPath(dir.resolve(FILE)).optEngine("OnnxRuntime").optDevice(Device.cpu())
                    .optTranslator(new Translator(meta.embeddingDim(), meta.featureNames().size()))
                    .optOption("intraOpNumThreads", "1").optOption("interOpNumThreads", "1").build().loadModel();
            return new OnnxRouter(dir, meta, encoder, model, null);
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            encoder.close();
            throw new BundleException(dir.resolve(FILE), "cannot load the router: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /** The bundle's encoder must be the one the router was trained over: a static table may have been replaced. */
    private static void checkEncoder(Path dir, RouterMetadata meta, QueryEncoder encoder) {
        if (encoder.dimension() != meta.embeddingDim()) {
            throw new BundleException(dir.resolve(FILE), "the encoder gives " + encoder.dimension()
                    + "-dimensional vectors but the router expects " + meta.embeddingDim());
        }
        if (meta.encoderKind() == EncoderKind.STATIC && (!encoder.id().equals(meta.encoderId())
                || encoder.maxLength() != meta.maxLength() || encoder.normalize() != meta.normalize())) {
            throw new BundleException(dir.resolve(FILE), "the bundle's static encoder " + encoder + " (maxLength="
                    + encoder.maxLength() + ", normalize=" + encoder.normalize() + ") is not the one the router was "
                    + "trained over: " + meta.encoderId() + ", maxLength=" + meta.maxLength() + ", normalize="
                    + meta.normalize());
        }
    }

    /** What the bundle records about itself. */
    public RouterMetadata metadata() {
        return metadata;
    }

    /** The models routed among, in the order of the probability columns. */
    public List<String> models() {
        return metadata.models();
    }

    /**
     * Each model's calibrated probability of answering each query well, {@code [query][model]}.
     *
     * @throws IllegalStateException when closed
     */
    public double[][] probabilities(List<String> queries) {
        Objects.requireNonNull(queries, "queries");
        if (closed.get()) {
            throw new IllegalStateException("router " + dir + " is closed");
        }
        int d = metadata.embeddingDim();
        int nf = metadata.featureNames().size();
        int m = metadata.models().size();
        double[][] out = new double[queries.size()][];
        if (forward != null) { // static: no model call to batch for
            for (int i = 0; i < queries.size(); i++) {
                String text = Objects.requireNonNull(queries.get(i), "queries[" + i + "]");
                EncodedText enc = encoder.encode(text);
                out[i] = forward.probabilities(enc.vector(), FeatureVector.assemble(metadata.featureNames(), Map.of(),
                        enc.tokens(), text, "router " + dir));
            }
            return out;
        }
        for (int from = 0; from < queries.size(); from += BATCH) {
            int to = Math.min(from + BATCH, queries.size());
            int rows = to - from;
            List<String> texts = new ArrayList<>(queries.subList(from, to));
            List<EncodedText> enc = encoder.encodeAll(texts);
            float[] e = new float[rows * d];
            float[] x = new float[rows * nf];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(enc.get(r).vector(), 0, e, r * d, d);
                double[] f = FeatureVector.assemble(metadata.featureNames(), Map.of(), enc.get(r).tokens(),
                        texts.get(r), "router " + dir);
                for (int j = 0; j < nf; j++) {
                    x[r * nf + j] = (float) f[j];
                }
            }
            float[] p = run(new float[][] {e, x});
            for (int r = 0; r < rows; r++) {
                out[from + r] = new double[m];
                for (int j = 0; j < m; j++) {
                    out[from + r][j] = p[r * m + j];
                }
            }
        }
        return out;
    }

    /**
     * Each model's calibrated probability of answering one query well, in {@link #models()} order (the
     * {@link TierPredictor} view: one query per call, no batching).
     *
     * @throws IllegalStateException when closed
     */
    @Override
    public double[] successProbabilities(Query query) {
        Objects.requireNonNull(query, "query");
        return probabilities(List.of(query.text()))[0];
    }

    /**
     * This router as the {@link TierPredictor} of a ladder whose tiers are named as the router's models, in any
     * order: the probabilities come in the ladder's order, cheapest first. Shares this router (closing it closes
     * the view).
     *
     * @throws IllegalArgumentException when the ladder's tier names are not exactly the router's models
     */
    public TierPredictor forTiers(Tiers tiers) {
        Objects.requireNonNull(tiers, "tiers");
        List<String> models = metadata.models();
        int[] column = new int[tiers.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            names.add(tiers.get(i).name());
            column[i] = models.indexOf(tiers.get(i).name());
        }
        if (tiers.size() != models.size() || Arrays.stream(column).anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("the ladder's tiers must be the router's models " + models
                    + " but were " + names);
        }
        return query -> {
            double[] p = successProbabilities(query);
            double[] out = new double[column.length];
            for (int i = 0; i < column.length; i++) {
                out[i] = p[column[i]];
            }
            return out;
        };
    }

    private float[] run(float[][] input) {
        Predictor<float[][], float[]> p = pool.pollFirst();
        if (p == null) {
            p = model.newPredictor();
        }
        try {
            float[] out = p.predict(input);
            pool.addFirst(p);
            return out;
        } catch (TranslateException | RuntimeException e) {
            p.close();
            throw new BundleException(dir.resolve(FILE), "ONNX Runtime failed on the router: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Predictor<float[][], float[]> p;
            while ((p = pool.pollFirst()) != null) {
                p.close();
            }
            if (model != null) {
                model.close();
            }
            encoder.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxRouter[" + dir + ", " + metadata.models() + ", lambda=" + metadata.lambda() + "]";
    }

    /** {embeddings, features} row-major in, the probabilities row-major out. */
    private static final class Translator implements NoBatchifyTranslator<float[][], float[]> {
        private final int d;
        private final int nf;

        Translator(int d, int nf) {
            this.d = d;
            this.nf = nf;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, float[][] in) {
            NDManager m = ctx.getNDManager();
            int rows = in[0].length / d;
            NDArray emb = m.create(in[0], new Shape(rows, d));
            emb.setName(INPUT_EMBEDDING);
            NDArray feats = m.create(in[1], new Shape(rows, nf));
            feats.setName(INPUT_FEATURES);
            return new NDList(emb, feats);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray p = list.get(OUTPUT_PROBABILITY);
            if (p == null) {
                throw new IllegalStateException("router graph lacks output '" + OUTPUT_PROBABILITY + "'");
            }
            return p.toFloatArray();
        }
    }
}
