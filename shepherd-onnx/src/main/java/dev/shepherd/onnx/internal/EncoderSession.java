package dev.shepherd.onnx.internal;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.shepherd.onnx.Pooling;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A BERT-style ONNX encoder run through ONNX Runtime's own Java API: a {@link TokenBatch} goes in as
 * {@code input_ids} (+ {@code attention_mask}, {@code token_type_ids} when the model has them) with its exact
 * shape (dynamic axes: a single text is never padded), and the first output ({@code [batch, tokens, hidden]}) is
 * pooled in plain Java. One session serves every caller: {@code OrtSession.run} is thread-safe.
 */
public final class EncoderSession implements AutoCloseable {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Set<String> inputs;
    private final Pooling pooling;
    private final boolean normalize;

    /**
     * Loads the model.
     *
     * @throws OrtException             when ONNX Runtime cannot load it
     * @throws IllegalArgumentException when it has no {@code input_ids} input
     */
    public EncoderSession(Path model, Device device, int threads, boolean arena, Pooling pooling, boolean normalize)
            throws OrtException {
        this.env = OrtSessions.environment();
        this.session = OrtSessions.open(model, device, threads, arena);
        this.inputs = Set.copyOf(session.getInputNames());
        this.pooling = pooling;
        this.normalize = normalize;
        if (!inputs.contains(INPUT_IDS)) {
            session.close();
            throw new IllegalArgumentException("not a BERT-style encoder: inputs are " + inputs
                    + ", expected input_ids [+ attention_mask, token_type_ids]");
        }
    }

    /** The model's input names. */
    public Set<String> inputs() {
        return inputs;
    }

    /**
     * Encodes and pools a batch: one vector per row.
     *
     * @throws OrtException when ONNX Runtime rejects the input (e.g. a token id outside the vocabulary)
     */
    public float[][] run(TokenBatch batch) throws OrtException {
        long[] shape = {batch.rows(), batch.width()};
        Map<String, OnnxTensor> in = new HashMap<>(4);
        try {
            in.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape));
            if (inputs.contains(ATTENTION_MASK)) {
                in.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape));
            }
            if (inputs.contains(TOKEN_TYPE_IDS)) {
                in.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.types()), shape));
            }
            try (OrtSession.Result result = session.run(in)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] out = hidden.getInfo().getShape();
                if (out.length != 3 || out[0] != batch.rows()) {
                    throw new IllegalStateException("encoder's first output must be [batch, tokens, hidden] but was "
                            + Arrays.toString(out));
                }
                return pool(hidden.getFloatBuffer(), batch, (int) out[1], (int) out[2]);
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] pool(FloatBuffer flat, TokenBatch batch, int tokens, int dim) {
        float[][] out = new float[batch.rows()][];
        for (int r = 0; r < batch.rows(); r++) {
            out[r] = pool(flat, batch, r, tokens, dim);
        }
        return out;
    }

    private float[] pool(FloatBuffer flat, TokenBatch batch, int row, int tokens, int dim) {
        float[] v = new float[dim];
        int base = row * tokens * dim;
        if (pooling == Pooling.CLS) {
            flat.get(base, v, 0, dim);
        } else {
            double[] sum = new double[dim];
            float[] state = new float[dim];
            int count = 0;
            for (int t = 0; t < tokens && t < batch.width(); t++) {
                if (batch.mask()[row * batch.width() + t] == 0) {
                    continue;
                }
                count++;
                flat.get(base + t * dim, state, 0, dim);
                for (int d = 0; d < dim; d++) {
                    sum[d] += state[d];
                }
            }
            for (int d = 0; d < dim; d++) {
                v[d] = (float) (sum[d] / Math.max(count, 1));
            }
        }
        if (normalize) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int d = 0; d < dim; d++) {
                    v[d] = (float) (v[d] / norm);
                }
            }
        }
        return v;
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
