package dev.shepherd.onnx.training;

import dev.shepherd.onnx.internal.Logistic;

/**
 * The trained router frozen in float32 as it is exported: standardisation of the embedding and of the query
 * features, one linear success logit per model over both, {@code logit = [ez, fz]·W + b}, and per-model Platt
 * calibration {@code P = σ(a · logit + c)}. {@code W} is row-major {@code [d + nf][m]}. Immutable by convention;
 * thread-safe. Package-private.
 */
record RouterWeights(int embeddingDim, int featureDim, int models, float[] embeddingMean, float[] embeddingStd,
                     float[] featureMean, float[] featureStd, float[] w, float[] b, float[] plattA, float[] plattB) {

    /** Each model's calibrated probability for one input, computed in double from the float weights. */
    double[] probabilities(float[] embedding, double[] features) {
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
