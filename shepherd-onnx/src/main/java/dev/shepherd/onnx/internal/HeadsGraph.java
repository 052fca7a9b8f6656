package dev.shepherd.onnx.internal;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Facts about a heads graph written by {@link BundleFiles#headsModel}, read from the ONNX file without running it.
 * Stateless.
 */
public final class HeadsGraph {

    private HeadsGraph() {
    }

    /**
     * Whether the heads' outputs do not depend on the embedding: the only consumer of the {@code embedding} input is
     * the {@code Concat} (axis 1, embedding first) that feeds one {@code Gemm} whose weight rows for the embedding
     * are all exactly zero, as features-only heads (single-feature, answer-length, features-linear, features-only
     * networks) are exported. Such heads give bit-identical outputs for any finite embedding, so the encoder's
     * transformer need not run; only the tokenizer (for {@code query_length}). False for any other graph, or when
     * the file cannot be read (loading reports that).
     */
    public static boolean ignoresEmbedding(Path file, int embeddingDim) {
        OnnxMl.GraphProto g;
        try {
            g = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
        } catch (IOException | RuntimeException e) {
            return false;
        }
        List<OnnxMl.NodeProto> concat = consumers(g, BundleFiles.INPUT_EMBEDDING);
        if (concat.size() != 1 || !concat.get(0).getOpType().equals("Concat") || concat.get(0).getOutputCount() != 1
                || !concat.get(0).getInput(0).equals(BundleFiles.INPUT_EMBEDDING)
                || concat.get(0).getInputList().stream().filter(BundleFiles.INPUT_EMBEDDING::equals).count() != 1
                || intAttribute(concat.get(0), "axis", Long.MIN_VALUE) != 1) {
            return false;
        }
        List<OnnxMl.NodeProto> gemm = consumers(g, concat.get(0).getOutput(0));
        if (gemm.size() != 1 || !gemm.get(0).getOpType().equals("Gemm") || gemm.get(0).getInputCount() < 2
                || !gemm.get(0).getInput(0).equals(concat.get(0).getOutput(0))
                || intAttribute(gemm.get(0), "transA", 0) != 0 || intAttribute(gemm.get(0), "transB", 0) != 0) {
            return false;
        }
        String weights = gemm.get(0).getInput(1);
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (t.getName().equals(weights)) {
                return leadingRowsZero(t, embeddingDim);
            }
        }
        return false;
    }

    private static List<OnnxMl.NodeProto> consumers(OnnxMl.GraphProto g, String value) {
        return g.getNodeList().stream().filter(n -> n.getInputList().contains(value)).toList();
    }

    private static long intAttribute(OnnxMl.NodeProto node, String name, long absent) {
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return absent;
    }

    private static boolean leadingRowsZero(OnnxMl.TensorProto t, int rows) {
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber() || t.getDimsCount() != 2
                || t.getDims(0) < rows) {
            return false;
        }
        long n = rows * t.getDims(1);
        if (t.getFloatDataCount() > 0) {
            if (t.getFloatDataCount() < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (t.getFloatData(i) != 0f) {
                    return false;
                }
            }
            return true;
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (raw.remaining() < n * Float.BYTES) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (raw.getFloat() != 0f) {
                return false;
            }
        }
        return true;
    }
}
