package dev.shepherd.onnx.internal;

/**
 * The trained router frozen in float32 as it is exported: standardisation of the embedding and of the query
 * features, one linear success logit per model over both, {@code logit = [ez, fz]·W + b}, and per-model Platt
 * calibration {@code P = σ(a · logit + c)}. {@code W} is row-major {@code [d + nf][m]}. Training writes them into
 * {@code router.onnx} ({@code training.RouterGraph}); a static-encoder router is served by this forward pass over the
 * weights read back ({@link BundleFiles#readRouterWeights}), as one ONNX Runtime call would cost more than the whole
 * decision. Immutable by convention; thread-safe.
 */
public record RouterWeights(int embeddingDim, int featureDim, int models, float[] embeddingMean, float[] embeddingStd,
                     float[] featureMean, float[] featureStd, float[] w, float[] b, float[] plattA, float[] plattB) {

    /** Each model's calibrated probability for one input, computed in double from the float weights. */
    public double[] probabilities(float[] embedding, double[] features) {
        double[] z = new double[embeddingDim + featureDim];
        for (int i = 0; i < embeddingDim; i++) {
            z[i] = (float) ((embedding[i] - embeddingMean[i]) / embeddingStd[i]);
        }
        for (int j = 0; j < featureDim; j++) {
            z[embeddingDim + j] = (float) ((features[j] - featureMean[j]) / featureStd[j]);
        }
        double[] out = new double[models];
        for (int m = 0; m < models; m++) {
            double logit = b[m];
            for (int r = 0; r < z.length; r++) {
                logit += z[r] * (double) w[r * models + m];
            }
            out[m] = Logistic.sigmoid(plattA[m] * logit + plattB[m]);
        }
        return out;
    }
}
