package dev.shepherd.onnx.internal;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.BundleMetadata;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
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
 * The heads as an ONNX graph, built with Tribuo's ONNX writer: normalisation inside the graph, the bundle metadata
 * as model properties, and the names of its inputs and outputs that {@link HeadsRunner} and the bundle reader rely
 * on. Writing and reading the graph's file is {@code PredictorBundle}'s. Stateless.
 */
public final class BundleFiles {

    public static final String INPUT_EMBEDDING = "embedding";
    public static final String INPUT_FEATURES = "features";
    public static final String OUTPUT_LOGIT = "need_logit";
    public static final String OUTPUT_PROBABILITY = "need_probability";
    public static final String OUTPUT_LOG_SIZE = "log_hint_size";

    private BundleFiles() {
    }

    /** The serialized ONNX model of the heads. */
    public static byte[] headsModel(HeadsWeights w, BundleMetadata meta) {
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
        return model.build().toByteArray();
    }

    private static ONNXInitializer matrix(ONNXContext ctx, String name, float[] values, int rows, int cols) {
        return ctx.floatTensor(name, List.of(rows, cols), buf -> buf.put(values));
    }

    /**
     * The heads' weights as stored in a heads file's initializers, for the plain-Java forward pass of the static
     * tier (one ONNX Runtime call costs more than that tier's whole decision).
     *
     * @param onnx the heads file's bytes
     * @param file the heads file, for messages
     * @throws BundleException naming the file when it is not ONNX or an initializer is missing or malformed
     */
    public static HeadsWeights readWeights(byte[] onnx, Path file, BundleMetadata meta) {
        Map<String, float[]> init = initializers(onnx, file);
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

    /**
     * The weights stored in a {@code router.onnx}'s initializers (written by {@code training.RouterGraph}), for the
     * plain-Java forward pass of a static-encoder router.
     *
     * @param onnx the router file's bytes
     * @param file the router file, for messages
     * @param embeddingDim the metadata's embedding width
     * @param featureDim the metadata's number of features
     * @param models the metadata's number of models
     * @throws BundleException naming the file when it is not ONNX or an initializer is missing or of the wrong size
     */
    public static RouterWeights readRouterWeights(byte[] onnx, Path file, int embeddingDim, int featureDim,
                                                  int models) {
        Map<String, float[]> init = initializers(onnx, file);
        return new RouterWeights(embeddingDim, featureDim, models, tensor(file, init, "embedding_mean", embeddingDim),
                tensor(file, init, "embedding_std", embeddingDim), tensor(file, init, "feature_mean", featureDim),
                tensor(file, init, "feature_std", featureDim),
                tensor(file, init, "w_success", (embeddingDim + featureDim) * models),
                tensor(file, init, "b_success", models), tensor(file, init, "platt_a", models),
                tensor(file, init, "platt_b", models));
    }

    /** A graph's float initializers by name. */
    private static Map<String, float[]> initializers(byte[] onnx, Path file) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new BundleException(file, "corrupt ONNX file: " + e.getMessage(), e);
        }
        Map<String, float[]> init = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : model.getGraph().getInitializerList()) {
            // Tribuo's writer makes names unique with a counter: "w_feat" is stored as "w_feat_0"
            init.put(t.getName().replaceFirst("_\\d+$", ""), floats(t));
        }
        return init;
    }

    private static float[] tensor(Path file, Map<String, float[]> init, String name) {
        float[] v = init.get(name);
        if (v == null) {
            throw new BundleException(file, "graph lacks the initializer '" + name + "'");
        }
        return v;
    }

    private static float[] tensor(Path file, Map<String, float[]> init, String name, int length) {
        float[] v = tensor(file, init, name);
        if (v.length != length) {
            throw new BundleException(file, "initializer '" + name + "' holds " + v.length + " values but the metadata "
                    + "implies " + length);
        }
        return v;
    }

    private static float[] floats(OnnxMl.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
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
}
