package dev.shepherd.onnx.internal;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.shepherd.onnx.BundleException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs {@code heads.onnx} (a small MLP) through ONNX Runtime's own Java API, on one intra-op thread: the graph is
 * too small for a thread pool to pay. Thread-safe: one session serves every caller.
 */
public final class HeadsRunner implements AutoCloseable {

    /** A batch of inputs, row-major. */
    public record Input(float[] embeddings, float[] features, int rows, int embeddingDim, int featureDim) {
    }

    private static final Set<String> OUTPUTS = Set.of(BundleFiles.OUTPUT_LOGIT, BundleFiles.OUTPUT_LOG_SIZE);

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;

    public HeadsRunner(Path file, Device device) {
        this.file = file;
        try {
            this.env = OrtSessions.environment();
            this.session = OrtSessions.open(file, device, 1, true);
        } catch (OrtException | RuntimeException e) {
            throw new BundleException(file, "ONNX Runtime cannot load the heads: " + e.getMessage(), e);
        }
        if (!session.getOutputNames().containsAll(OUTPUTS)) {
            close();
            throw new BundleException(file, "ONNX Runtime cannot load the heads: heads graph lacks outputs '"
                    + BundleFiles.OUTPUT_LOGIT + "' / '" + BundleFiles.OUTPUT_LOG_SIZE + "'");
        }
    }

    /** {logits[rows], logSizes[rows]}. */
    public float[][] run(Input in) {
        OnnxTensor emb = null;
        OnnxTensor feats = null;
        try {
            emb = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.embeddings()), new long[] {in.rows(), in.embeddingDim()});
            feats = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.features()), new long[] {in.rows(), in.featureDim()});
            try (OrtSession.Result r = session.run(Map.of(BundleFiles.INPUT_EMBEDDING, emb,
                    BundleFiles.INPUT_FEATURES, feats), OUTPUTS)) {
                return new float[][] {floats(r.get(BundleFiles.OUTPUT_LOGIT)), floats(r.get(BundleFiles.OUTPUT_LOG_SIZE))};
            }
        } catch (OrtException | RuntimeException e) {
            throw new BundleException(file, "ONNX Runtime failed on the heads: " + e.getMessage(), e);
        } finally {
            if (emb != null) {
                emb.close();
            }
            if (feats != null) {
                feats.close();
            }
        }
    }

    private static float[] floats(Optional<OnnxValue> value) {
        FloatBuffer b = ((OnnxTensor) value.orElseThrow()).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session does not fail in practice; nothing to recover
        }
    }
}
