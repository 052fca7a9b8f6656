package dev.shepherd.onnx.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.shepherd.onnx.Pooling;
import java.util.Set;

/**
 * Feeds a {@link TokenBatch} to a BERT-style ONNX encoder and pools its first output
 * ({@code [batch, tokens, hidden]}) in plain Java: {@code OrtNDArray} has no {@code mean()}.
 * Stateless and thread-safe.
 */
public final class EncoderTranslator implements NoBatchifyTranslator<TokenBatch, float[][]> {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final Set<String> inputNames;
    private final Pooling pooling;
    private final boolean normalize;

    public EncoderTranslator(Set<String> inputNames, Pooling pooling, boolean normalize) {
        this.inputNames = Set.copyOf(inputNames);
        this.pooling = pooling;
        this.normalize = normalize;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
        ctx.setAttachment("batch", batch);
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch.rows(), batch.width());
        NDList list = new NDList();
        list.add(named(manager.create(batch.ids(), shape), INPUT_IDS));
        if (inputNames.contains(ATTENTION_MASK)) {
            list.add(named(manager.create(batch.mask(), shape), ATTENTION_MASK));
        }
        if (inputNames.contains(TOKEN_TYPE_IDS)) {
            list.add(named(manager.create(batch.types(), shape), TOKEN_TYPE_IDS));
        }
        return list;
    }

    private static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        TokenBatch batch = (TokenBatch) ctx.getAttachment("batch");
        NDArray hidden = list.get(0);
        Shape shape = hidden.getShape();
        if (shape.dimension() != 3 || shape.get(0) != batch.rows()) {
            throw new IllegalStateException("encoder's first output must be [batch, tokens, hidden] but was " + shape);
        }
        int tokens = (int) shape.get(1);
        int dim = (int) shape.get(2);
        float[] flat = hidden.toFloatArray();
        float[][] out = new float[batch.rows()][];
        for (int r = 0; r < batch.rows(); r++) {
            out[r] = pool(flat, batch, r, tokens, dim);
        }
        return out;
    }

    private float[] pool(float[] flat, TokenBatch batch, int row, int tokens, int dim) {
        float[] v = new float[dim];
        int base = row * tokens * dim;
        if (pooling == Pooling.CLS) {
            System.arraycopy(flat, base, v, 0, dim);
        } else {
            double[] sum = new double[dim];
            int count = 0;
            for (int t = 0; t < tokens && t < batch.width(); t++) {
                if (batch.mask()[row * batch.width() + t] == 0) {
                    continue;
                }
                count++;
                int off = base + t * dim;
                for (int d = 0; d < dim; d++) {
                    sum[d] += flat[off + d];
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
}
