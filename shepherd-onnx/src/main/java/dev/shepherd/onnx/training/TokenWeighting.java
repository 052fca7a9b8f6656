package dev.shepherd.onnx.training;

/**
 * How a static table weights each token's vector before pooling (the weight is folded into the stored row, so it
 * costs nothing at request time). Frequent tokens ("the", "of", punctuation) carry little about a query; without
 * frequency counts, a token's rank stands in for its frequency: WordPiece and BPE vocabularies list tokens roughly
 * from frequent to rare (Model2Vec makes the same assumption).
 */
public enum TokenWeighting {
    /** Every token weighs 1. */
    NONE,
    /** {@code ln(2 + id)}: rare tokens weigh more, logarithmically (Model2Vec's Zipf weighting). */
    ZIPF,
    /**
     * Smooth inverse frequency {@code a / (a + p(id))} with Zipf's {@code p(id) ∝ 1 / (id + 2)} and
     * {@code a = 1e-4} (Arora et al.'s SIF with Model2Vec's coefficient).
     */
    SIF;

    static final double SIF_A = 1e-4;

    /** Weights of every id, computed once. */
    double[] weights(int vocabulary) {
        double[] w = new double[vocabulary];
        double harmonic = 0;
        for (int r = 0; r < vocabulary; r++) {
            harmonic += 1.0 / (r + 2);
        }
        for (int id = 0; id < vocabulary; id++) {
            w[id] = switch (this) {
                case NONE -> 1;
                case ZIPF -> Math.log(2 + id);
                case SIF -> SIF_A / (SIF_A + 1.0 / (id + 2) / harmonic);
            };
        }
        return w;
    }
}
