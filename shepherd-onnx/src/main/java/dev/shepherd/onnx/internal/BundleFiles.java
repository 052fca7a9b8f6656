package dev.shepherd.onnx.internal;

import ai.onnx.proto.OnnxMl;
import dev.shepherd.onnx.BundleMetadata;
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
}
