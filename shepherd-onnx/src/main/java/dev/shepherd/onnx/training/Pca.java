package dev.shepherd.onnx.training;

import java.util.SplittableRandom;

/**
 * An orthonormal basis of the top-{@code k} principal subspace of (already standardised) vectors, by subspace
 * iteration on their covariance. The router's heads learn on the projections, which keeps Newton's method cheap;
 * their weights are mapped back onto the full embedding, so the exported graph never computes the projection.
 * Deterministic for a seed; stateless. Package-private.
 */
final class Pca {

    private Pca() {
    }

    /**
     * Returns the basis, {@code [d][k]} with orthonormal columns.
     *
     * @param x the standardised vectors (rows)
     * @param rows the rows to use
     * @param k the subspace size, 1 ≤ k ≤ d
     */
    static double[][] basis(double[][] x, int[] rows, int k, long seed) {
        int d = x[0].length;
        double[][] cov = new double[d][d];
        for (int i : rows) {
            double[] v = x[i];
            for (int a = 0; a < d; a++) {
                double va = v[a];
                if (va == 0) {
                    continue;
                }
                double[] ca = cov[a];
                for (int b = a; b < d; b++) {
                    ca[b] += va * v[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[d][k];
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < k; c++) {
                q[a][c] = rng.nextDouble() - 0.5;
            }
        }
        orthonormalize(q);
        for (int it = 0; it < 30; it++) {
            double[][] z = new double[d][k];
            for (int a = 0; a < d; a++) {
                double[] ca = cov[a];
                double[] za = z[a];
                for (int b = 0; b < d; b++) {
                    double cab = ca[b];
                    if (cab == 0) {
                        continue;
                    }
                    double[] qb = q[b];
                    for (int c = 0; c < k; c++) {
                        za[c] += cab * qb[c];
                    }
                }
            }
            orthonormalize(z);
            q = z;
        }
        return q;
    }

    /** Modified Gram–Schmidt on the columns, in place; a vanishing column is replaced by a unit vector. */
    private static void orthonormalize(double[][] q) {
        int d = q.length;
        int k = q[0].length;
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int a = 0; a < d; a++) {
                    dot += q[a][c] * q[a][p];
                }
                for (int a = 0; a < d; a++) {
                    q[a][c] -= dot * q[a][p];
                }
            }
            double norm = 0;
            for (int a = 0; a < d; a++) {
                norm += q[a][c] * q[a][c];
            }
            norm = Math.sqrt(norm);
            if (norm < 1e-12) {
                for (int a = 0; a < d; a++) {
                    q[a][c] = a == c % d ? 1 : 0;
                }
                continue;
            }
            for (int a = 0; a < d; a++) {
                q[a][c] /= norm;
            }
        }
    }
}
