package dev.shepherd.onnx.training;

/**
 * Principal components of a set of row vectors, in plain Java: the covariance matrix (double precision) and its
 * eigenvectors by cyclic Jacobi rotations — exact to rounding, and fast enough for encoder widths (a 384 × 384
 * matrix takes about a second), which is all the distiller needs. Stateless.
 */
final class Pca {

    private Pca() {
    }

    /** The fitted projection: {@code y = (x − mean) · components}, components as columns, by decreasing variance. */
    record Projection(double[] mean, double[][] components, double[] variances) {

        int outputDimension() {
            return components[0].length;
        }

        float[] apply(float[] x) {
            int k = outputDimension();
            float[] y = new float[k];
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < x.length; j++) {
                    s += (x[j] - mean[j]) * components[j][c];
                }
                y[c] = (float) s;
            }
            return y;
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
        double[] values = jacobi(cov, vectors);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
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

    /** Eigenvalues of the symmetric {@code a} (destroyed); eigenvectors into the columns of {@code v}. */
    static double[] jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-24 * diag || off == 0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = cs * vkp - sn * vkq;
                        v[k][q] = sn * vkp + cs * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return values;
    }
}
