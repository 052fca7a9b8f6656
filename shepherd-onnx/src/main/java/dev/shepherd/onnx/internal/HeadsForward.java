package dev.shepherd.onnx.internal;

/**
 * The heads graph evaluated in plain Java, in float32 like ONNX Runtime, for the static-embedding tier: a call
 * through ONNX Runtime (tens of microseconds of JNI and tensor set-up) would cost more than the rest of that
 * tier's decision. Same computation as {@link HeadsWeights#forward}, which stays the training-time reference (double
 * precision, written for clarity); here every inner loop runs over contiguous weights so the JIT can vectorise it.
 * Immutable and thread-safe.
 */
public final class HeadsForward {

    private final HeadsWeights w;
    private final int d;
    private final int nf;
    private final int fh;
    private final int h;

    public HeadsForward(HeadsWeights weights) {
        this.w = weights;
        this.d = weights.embeddingDim();
        this.nf = weights.featureDim();
        this.fh = weights.featureHidden();
        this.h = weights.hidden();
    }

    /** {logit, log size} for one input; the features are rounded to float first, as the graph's input is. */
    public float[] run(float[] embedding, double[] features) {
        if (embedding.length != d || features.length != nf) {
            throw new IllegalArgumentException("heads expect " + d + " embedding values and " + nf
                    + " features but got " + embedding.length + " and " + features.length);
        }
        float[] f = w.bf().clone();
        float[] wf = w.wf();
        for (int j = 0; j < nf; j++) {
            float z = ((float) features[j] - w.mean()[j]) / w.std()[j];
            int row = j * fh;
            for (int k = 0; k < fh; k++) {
                f[k] += z * wf[row + k];
            }
        }
        float[] c = w.b1().clone();
        float[] w1 = w.w1();
        for (int i = 0; i < d; i++) {
            float e = embedding[i];
            int row = i * h;
            for (int m = 0; m < h; m++) {
                c[m] += e * w1[row + m];
            }
        }
        for (int k = 0; k < fh; k++) {
            float a = Math.max(f[k], 0);
            int row = (d + k) * h;
            for (int m = 0; m < h; m++) {
                c[m] += a * w1[row + m];
            }
        }
        float logit = w.by();
        float size = w.br();
        for (int m = 0; m < h; m++) {
            float hm = Math.max(c[m], 0);
            logit += hm * w.wy()[m];
            size += hm * w.wr()[m];
        }
        return new float[] {logit, size};
    }
}
