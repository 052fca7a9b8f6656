package dev.shepherd.onnx.internal;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.BundleMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes and reads the bundle directory: {@code heads.onnx} (the query-only heads, for routing and
 * proactive shepherding), {@code heads-reactive.onnx} (optional: heads that also read the small model's
 * samples, for reactive shepherding) — each built with Tribuo's ONNX writer, normalisation inside the graph,
 * metadata as properties — and {@code encoder/model.onnx} + {@code encoder/tokenizer.json} shared by both.
 * Stateless.
 */
public final class BundleFiles {

    public static final String HEADS = "heads.onnx";
    public static final String REACTIVE_HEADS = "heads-reactive.onnx";
    public static final String ENCODER_DIR = "encoder";
    public static final String INPUT_EMBEDDING = "embedding";
    public static final String INPUT_FEATURES = "features";
    public static final String OUTPUT_LOGIT = "need_logit";
    public static final String OUTPUT_PROBABILITY = "need_probability";
    public static final String OUTPUT_LOG_SIZE = "log_hint_size";

    private BundleFiles() {
    }

    /** The ONNX model of the heads. */
    public static OnnxMl.ModelProto headsModel(HeadsWeights w, BundleMetadata meta) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("shepherd-heads");
        ONNXPlaceholder emb = ctx.floatInput(INPUT_EMBEDDING, w.embeddingDim());
        ONNXPlaceholder feats = ctx.floatInput(INPUT_FEATURES, w.featureDim());
        ONNXInitializer mean = ctx.array("feature_mean", w.mean());
        ONNXInitializer std = ctx.array("feature_std", w.std());
        ONNXNode z = feats.apply(ONNXOperators.SUB, mean).apply(ONNXOperators.DIV, std);
        ONNXNode f = z.apply(ONNXOperators.GEMM, List.of(matrix(ctx, "w_feat", w.wf(), w.featureDim(), w.featureHidden()),
                ctx.array("b_feat", w.bf()))).apply(ExtraOperators.RELU);
        ONNXNode fused = ctx.operation(ONNXOperators.CONCAT, List.<ONNXRef<?>>of(emb, f), "fused", Map.of("axis", 1));
        ONNXNode h = fused.apply(ONNXOperators.GEMM, List.of(matrix(ctx, "w_trunk", w.w1(),
                w.embeddingDim() + w.featureHidden(), w.hidden()), ctx.array("b_trunk", w.b1())))
                .apply(ExtraOperators.RELU);
        ONNXNode logit = h.apply(ONNXOperators.GEMM, List.of(matrix(ctx, "w_need", w.wy(), w.hidden(), 1),
                ctx.array("b_need", new float[] {w.by()})));
        ONNXNode size = h.apply(ONNXOperators.GEMM, List.of(matrix(ctx, "w_size", w.wr(), w.hidden(), 1),
                ctx.array("b_size", new float[] {w.br()})));
        logit.assignTo(ctx.floatOutput(OUTPUT_LOGIT, 1));
        logit.apply(ONNXOperators.SIGMOID).assignTo(ctx.floatOutput(OUTPUT_PROBABILITY, 1));
        size.assignTo(ctx.floatOutput(OUTPUT_LOG_SIZE, 1));
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(ONNXOperators.getOpsetProto()).setProducerName("shepherd-onnx")
                .setProducerVersion("0.1.0").setDomain("dev.shepherd").setModelVersion(1)
                .setDocString("shepherd two-stage hint predictor heads").setGraph(ctx.buildGraph());
        meta.toProperties().forEach((k, v) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    private static ONNXInitializer matrix(ONNXContext ctx, String name, float[] values, int rows, int cols) {
        return ctx.floatTensor(name, List.of(rows, cols), buf -> buf.put(values));
    }

    /** The file that holds heads with this metadata: {@value #REACTIVE_HEADS} for reactive heads, else {@value #HEADS}. */
    public static String headsFile(BundleMetadata meta) {
        return meta.isReactive() ? REACTIVE_HEADS : HEADS;
    }

    /** Writes the heads (to {@link #headsFile}) and links (or copies) the encoder files into {@code dir}. */
    public static void write(Path dir, OnnxMl.ModelProto heads, BundleMetadata meta, Path encoderModel,
                             Path encoderTokenizer) throws IOException {
        Files.createDirectories(dir.resolve(ENCODER_DIR));
        String name = headsFile(meta);
        writeAtomically(dir.resolve(name), heads.toByteArray());
        place(encoderModel, encoderModelPath(dir));
        place(encoderTokenizer, encoderTokenizerPath(dir));
        Files.deleteIfExists(staticTablePath(dir)); // left by an earlier static export into this directory
    }

    /**
     * Writes the heads of a static-encoder bundle and links (or copies) the table and tokenizer into
     * {@code dir/encoder/}; a transformer left there by an earlier export is removed (the metadata decides what
     * loads, the file would only take space).
     */
    public static void writeStatic(Path dir, OnnxMl.ModelProto heads, BundleMetadata meta, Path table,
                                   Path tokenizer) throws IOException {
        Files.createDirectories(dir.resolve(ENCODER_DIR));
        writeAtomically(dir.resolve(headsFile(meta)), heads.toByteArray());
        place(table, staticTablePath(dir));
        place(tokenizer, encoderTokenizerPath(dir));
        Files.deleteIfExists(encoderModelPath(dir));
    }

    /** {@code dir/encoder/static-embeddings.bin}: the table of a static-encoder bundle. */
    public static Path staticTablePath(Path dir) {
        return dir.resolve(ENCODER_DIR).resolve(dev.shepherd.onnx.StaticEncoder.TABLE_FILE);
    }

    /**
     * The heads' weights as stored in a heads file's initializers, for the plain-Java forward pass of the static
     * tier (one ONNX Runtime call costs more than that tier's whole decision).
     *
     * @throws BundleException naming the file when it is unreadable or an initializer is missing or malformed
     */
    public static HeadsWeights readWeights(Path file, BundleMetadata meta) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BundleException(file, "unreadable: " + e.getMessage(), e);
        }
        Map<String, float[]> init = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            // Tribuo's writer makes names unique with a counter: "w_feat" is stored as "w_feat_0"
            init.put(t.getName().replaceFirst("_\\d+$", ""), floats(t));
        }
        try {
            float[] wf = tensor(file, init, "w_feat");
            float[] bf = tensor(file, init, "b_feat");
            float[] b1 = tensor(file, init, "b_trunk");
            int nf = meta.featureNames().size();
            return new HeadsWeights(meta.embeddingDim(), nf, bf.length, b1.length, tensor(file, init, "feature_mean"),
                    tensor(file, init, "feature_std"), wf, bf, tensor(file, init, "w_trunk"), b1,
                    tensor(file, init, "w_need"), tensor(file, init, "b_need")[0], tensor(file, init, "w_size"),
                    tensor(file, init, "b_size")[0]);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw new BundleException(file, "heads graph does not hold the expected weights: " + e.getMessage(), e);
        }
    }

    private static float[] tensor(Path file, Map<String, float[]> init, String name) {
        float[] v = init.get(name);
        if (v == null) {
            throw new BundleException(file, "heads graph lacks the initializer '" + name + "'");
        }
        return v;
    }

    private static float[] floats(OnnxMl.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            java.nio.FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return v;
        }
        float[] v = new float[t.getFloatDataCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatData(i);
        }
        return v;
    }

    /**
     * Writes {@code bytes} to {@code target} atomically (a temporary sibling renamed into place) with the permissions
     * of any new file under the user's umask: the temporary file is created as an ordinary file, not with
     * {@code Files.createTempFile}, whose private permissions the rename would keep.
     *
     * @param target the file; its directory must exist
     * @param bytes the content
     * @throws IOException when it cannot be written
     */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36) + ".part");
        try {
            try (java.io.OutputStream o = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                o.write(bytes);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void place(Path source, Path target) throws IOException {
        if (Files.exists(target) && Files.isSameFile(source, target)) {
            return;
        }
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static Path encoderModelPath(Path dir) {
        return dir.resolve(ENCODER_DIR).resolve("model.onnx");
    }

    public static Path encoderTokenizerPath(Path dir) {
        return dir.resolve(ENCODER_DIR).resolve("tokenizer.json");
    }

    /**
     * Reads and checks {@code heads.onnx}: a parsable ONNX model whose metadata describes its inputs.
     *
     * @throws BundleException naming the file
     */
    public static BundleMetadata readMetadata(Path dir) {
        return readMetadata(dir, HEADS);
    }

    /**
     * Reads and checks one heads file of the bundle.
     *
     * @throws BundleException naming the file
     */
    public static BundleMetadata readMetadata(Path dir, String headsFile) {
        Path file = dir.resolve(headsFile);
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file, headsFile + " is missing (not a predictor bundle directory?)");
        }
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new BundleException(file, "corrupt ONNX file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BundleException(file, "unreadable: " + e.getMessage(), e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new BundleException(file, "corrupt ONNX file: no graph");
        }
        Map<String, String> props = new LinkedHashMap<>();
        model.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
        BundleMetadata meta = BundleMetadata.fromProperties(props, file);
        Map<String, Long> widths = new LinkedHashMap<>();
        for (OnnxMl.ValueInfoProto in : model.getGraph().getInputList()) {
            List<OnnxMl.TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
            widths.put(in.getName(), dims.isEmpty() ? -1 : dims.get(dims.size() - 1).getDimValue());
        }
        check(file, widths, INPUT_EMBEDDING, meta.embeddingDim());
        check(file, widths, INPUT_FEATURES, meta.featureNames().size());
        return meta;
    }

    private static void check(Path file, Map<String, Long> widths, String input, int expected) {
        Long w = widths.get(input);
        if (w == null || w != expected) {
            throw new BundleException(file, "graph input '" + input + "' has width " + w + " but the metadata says "
                    + expected + " (inputs: " + widths + ")");
        }
    }
}
