package dev.shepherd.onnx.training;

import ai.onnx.proto.OnnxMl;
import dev.shepherd.onnx.OnnxRouter;
import dev.shepherd.onnx.RouterMetadata;
import dev.shepherd.onnx.internal.RouterWeights;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Builds {@code router.onnx} with Tribuo's ONNX writer: inputs {@code embedding [n, d]} and {@code features [n, nf]},
 * standardisation inside the graph, one GEMM to the {@code success_logit [n, m]} output and per-model Platt scaling
 * and a sigmoid to {@code success_probability [n, m]}; the metadata as properties. Stateless. Package-private.
 */
final class RouterGraph {

    private RouterGraph() {
    }

    static OnnxMl.ModelProto model(RouterWeights w, RouterMetadata meta) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName("shepherd-router");
        ONNXPlaceholder emb = ctx.floatInput(OnnxRouter.INPUT_EMBEDDING, w.embeddingDim());
        ONNXPlaceholder feats = ctx.floatInput(OnnxRouter.INPUT_FEATURES, w.featureDim());
        ONNXNode ez = emb.apply(ONNXOperators.SUB, ctx.array("embedding_mean", w.embeddingMean()))
                .apply(ONNXOperators.DIV, ctx.array("embedding_std", w.embeddingStd()));
        ONNXNode fz = feats.apply(ONNXOperators.SUB, ctx.array("feature_mean", w.featureMean()))
                .apply(ONNXOperators.DIV, ctx.array("feature_std", w.featureStd()));
        ONNXNode z = ctx.operation(ONNXOperators.CONCAT, List.<ONNXRef<?>>of(ez, fz), "standardised", Map.of("axis", 1));
        ONNXNode logit = z.apply(ONNXOperators.GEMM, List.of(ctx.floatTensor("w_success",
                List.of(w.embeddingDim() + w.featureDim(), w.models()), buf -> buf.put(w.w())),
                ctx.array("b_success", w.b())));
        logit.assignTo(ctx.floatOutput(OnnxRouter.OUTPUT_LOGIT, w.models()));
        logit.apply(ONNXOperators.MUL, ctx.array("platt_a", w.plattA()))
                .apply(ONNXOperators.ADD, ctx.array("platt_b", w.plattB()))
                .apply(ONNXOperators.SIGMOID).assignTo(ctx.floatOutput(OnnxRouter.OUTPUT_PROBABILITY, w.models()));
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(ONNXOperators.getOpsetProto()).setProducerName("shepherd-onnx")
                .setProducerVersion("0.1.0").setDomain("dev.shepherd").setModelVersion(1)
                .setDocString("shepherd N-way router: one calibrated success probability per model")
                .setGraph(ctx.buildGraph());
        meta.toProperties().forEach((k, v) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }
}
