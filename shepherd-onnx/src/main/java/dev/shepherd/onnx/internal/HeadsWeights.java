package dev.shepherd.onnx.internal;

import java.util.Objects;

/**
 * The trained heads, frozen in float32 as they are exported: feature standardisation
 * {@code z = (x − mean) / std}, feature MLP {@code f = relu(z·Wf + bf)}, fused trunk
 * {@code h = relu([e, f]·W1 + b1)}, need-hint logit {@code h·wy + by}, size {@code h·wr + br}
 * (= log(1 + n̂)). Matrices are row-major {@code [in][out]}. Immutable by convention; thread-safe.
 */
public record HeadsWeights(int embeddingDim, int featureDim, int featureHidden, int hidden,
                           float[] mean, float[] std, float[] wf, float[] bf, float[] w1, float[] b1,
                           float[] wy, float by, float[] wr, float br) {

    public HeadsWeights {
        Objects.requireNonNull(mean, "mean");
        check("mean", mean, featureDim);
        check("std", std, featureDim);
        check("wf", wf, featureDim * featureHidden);
        check("bf", bf, featureHidden);
        check("w1", w1, (embeddingDim + featureHidden) * hidden);
        check("b1", b1, hidden);
        check("wy", wy, hidden);
        check("wr", wr, hidden);
    }

    private static void check(String name, float[] a, int size) {
        if (a == null || a.length != size) {
            throw new IllegalArgumentException(name + " must have " + size + " values but had "
                    + (a == null ? "null" : a.length));
        }
    }

    /** {logit, log size} for one input, computed in double from the float weights. */
    public double[] forward(float[] embedding, double[] features) {
        if (embedding.length != embeddingDim) {
            throw new IllegalArgumentException("embedding must have " + embeddingDim + " values but had "
                    + embedding.length);
        }
        double[] f = new double[featureHidden];
        for (int k = 0; k < featureHidden; k++) {
            double a = bf[k];
            for (int j = 0; j < featureDim; j++) {
                a += (float) ((features[j] - mean[j]) / std[j]) * (double) wf[j * featureHidden + k];
            }
            f[k] = Math.max(a, 0);
        }
        double logit = by;
        double size = br;
        for (int m = 0; m < hidden; m++) {
            double c = b1[m];
            for (int i = 0; i < embeddingDim; i++) {
                c += embedding[i] * (double) w1[i * hidden + m];
            }
            for (int k = 0; k < featureHidden; k++) {
                c += f[k] * w1[(embeddingDim + k) * hidden + m];
            }
            double h = Math.max(c, 0);
            logit += h * wy[m];
            size += h * wr[m];
        }
        return new double[] {logit, size};
    }
}
