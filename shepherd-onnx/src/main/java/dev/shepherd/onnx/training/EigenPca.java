package dev.shepherd.onnx.training;

import java.util.Arrays;

/**
 * Principal components of a set of row vectors, in plain Java: the covariance matrix (double precision) and its
 * eigenvectors (Householder tridiagonalisation + implicit QL) — exact to rounding and fast enough for encoder widths,
 * which is all the distiller needs. Stateless.
 */
final class EigenPca {

    private EigenPca() {
    }

    /** The fitted projection: {@code y = (x − mean) · components}, components as columns, by decreasing variance. */
    record Projection(double[] mean, double[][] components, double[] variances) {

        int outputDimension() {
            return components[0].length;
        }

        /**
         * Projects every row. The loops run over the components' rows ({@code y += x_j · components[j]}): no serial
         * dot-product sum, so the JIT vectorises them.
         */
        float[][] apply(float[][] rows) {
            int k = outputDimension();
            int d = mean.length;
            float[][] out = new float[rows.length][];
            double[] y = new double[k];
            for (int r = 0; r < rows.length; r++) {
                Arrays.fill(y, 0);
                for (int j = 0; j < d; j++) {
                    double xj = rows[r][j] - mean[j];
                    double[] w = components[j];
                    for (int c = 0; c < k; c++) {
                        y[c] += xj * w[c];
                    }
                }
                float[] o = new float[k];
                for (int c = 0; c < k; c++) {
                    o[c] = (float) y[c];
                }
                out[r] = o;
            }
            return out;
        }
    }

    /**
     * Fits the first {@code k} components of {@code rows}.
     *
     * @param k 1 … the rows' width
     */
    static Projection fit(float[][] rows, int k) {
        int d = rows[0].length;
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("components must be in 1.." + d + " but was " + k);
        }
        double[] mean = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.length;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                c[j] = r[j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = c[i];
                double[] row = cov[i];
                for (int j = i; j < d; j++) {
                    row[j] += ci * c[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                cov[i][j] /= Math.max(1, rows.length - 1);
                cov[j][i] = cov[i][j];
            }
        }
        double[][] vectors = new double[d][d];
        double[] values = symmetricEigen(cov, vectors);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[][] components = new double[d][k];
        double[] variances = new double[k];
        for (int c2 = 0; c2 < k; c2++) {
            int src = order[c2];
            variances[c2] = values[src];
            // a fixed sign (largest entry positive) makes the table reproducible across runs and platforms
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(vectors[j][src]) > Math.abs(vectors[arg][src])) {
                    arg = j;
                }
            }
            double sign = vectors[arg][src] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                components[j][c2] = sign * vectors[j][src];
            }
        }
        return new Projection(mean, components, variances);
    }

    /**
     * Eigenvalues of the symmetric {@code a} (destroyed); eigenvectors into the columns of {@code v}. Householder
     * reduction to tridiagonal form, then the implicit QL algorithm (the EISPACK tred2/tql2 pair, as in JAMA, public
     * domain): O(n³), well under a second for n = 384, where cyclic Jacobi rotations took tens of seconds.
     */
    static double[] symmetricEigen(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, v[i], 0, n);
        }
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(v, d, e);
        diagonalize(v, d, e);
        return d;
    }

    private static void tridiagonalize(double[][] v, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0;
            double h = 0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0;
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k][j] -= f * e[k] + g * d[k];
                    }
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    private static void diagonalize(double[][] v, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0;
        double f = 0;
        double tst1 = 0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n && Math.abs(e[m]) > eps * tst1) {
                m++;
            }
            if (m > l) {
                do {
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0;
                    double s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++) {
                            h = v[k][i + 1];
                            v[k][i + 1] = s * v[k][i] + c * h;
                            v[k][i] = c * v[k][i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }
}
