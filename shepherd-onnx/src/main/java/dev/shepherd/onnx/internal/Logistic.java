package dev.shepherd.onnx.internal;

/**
 * L2-regularised logistic regression with soft labels in [0, 1] (cross-entropy loss summed over rows), fitted by
 * Newton's method, Platt scaling, and the Cholesky solve they share: the one logistic fit of the router's heads
 * ({@code training.RouterTrainer}) and the predictor's linear heads ({@link LinearHead}). Deterministic; stateless.
 */
public final class Logistic {

    private static final double INTERCEPT_L2 = 1e-4;

    private Logistic() {
    }

    /**
     * Fits on the rows, at most 25 Newton steps; the last column of {@code a} is the constant 1 (the intercept,
     * barely penalised).
     *
     * @param a design matrix, one row per example
     * @param y targets in [0, 1]
     * @param rows the rows to fit on
     * @param l2 penalty λ·‖w‖² on the weights
     * @return the weights, intercept last
     */
    public static double[] fit(double[][] a, double[] y, int[] rows, double l2) {
        return fit(a, y, rows, l2, INTERCEPT_L2, 25, 1e-8);
    }

    /**
     * Fits on the rows with the given intercept penalty and stopping rule.
     *
     * @param interceptL2 penalty on the intercept (the last column)
     * @param maxSteps at most this many Newton steps
     * @param tolerance stop once no weight moves by more than this
     * @return the weights, intercept last
     */
    public static double[] fit(double[][] a, double[] y, int[] rows, double l2, double interceptL2, int maxSteps,
                               double tolerance) {
        int p = a[0].length;
        double[] w = new double[p];
        for (int it = 0; it < maxSteps; it++) {
            double[] g = new double[p];
            double[][] h = new double[p][p];
            for (int c = 0; c < p; c++) {
                double pen = c == p - 1 ? interceptL2 : l2;
                g[c] = 2 * pen * w[c];
                h[c][c] = 2 * pen;
            }
            for (int i : rows) {
                double[] row = a[i];
                double pr = sigmoid(dot(row, w));
                double gr = pr - y[i];
                double wt = Math.max(pr * (1 - pr), 1e-6);
                for (int c = 0; c < p; c++) {
                    double rc = row[c];
                    if (rc == 0) {
                        continue;
                    }
                    g[c] += gr * rc;
                    double wrc = wt * rc;
                    double[] hc = h[c];
                    for (int e = c; e < p; e++) {
                        hc[e] += wrc * row[e];
                    }
                }
            }
            for (int c = 0; c < p; c++) {
                for (int e = 0; e < c; e++) {
                    h[c][e] = h[e][c];
                }
            }
            double[] step = solve(h, g);
            double change = 0;
            for (int c = 0; c < p; c++) {
                w[c] -= step[c];
                change = Math.max(change, Math.abs(step[c]));
            }
            if (change < tolerance) {
                break;
            }
        }
        return w;
    }

    /**
     * Platt scaling: {a, b} minimising the cross-entropy of σ(a·z + b) against y over all rows.
     */
    public static double[] platt(double[] z, double[] y) {
        double[][] design = new double[z.length][];
        int[] rows = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            design[i] = new double[] {z[i], 1};
            rows[i] = i;
        }
        return fit(design, y, rows, 1e-6);
    }

    /** The row's linear score. */
    public static double dot(double[] row, double[] w) {
        double s = 0;
        for (int c = 0; c < w.length; c++) {
            s += row[c] * w[c];
        }
        return s;
    }

    /** The logistic function. */
    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Mean cross-entropy of probabilities against soft targets, probabilities clipped to [1e-7, 1 − 1e-7]. */
    public static double logLoss(double[] p, double[] y) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
            s -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
        }
        return s / p.length;
    }

    /** Solves h·s = g for a symmetric positive definite h (Cholesky). */
    public static double[] solve(double[][] h, double[] g) {
        int n = g.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = h[i][j];
                double[] li = l[i];
                double[] lj = l[j];
                for (int k = 0; k < j; k++) {
                    s -= li[k] * lj[k];
                }
                if (i == j) {
                    li[i] = Math.sqrt(Math.max(s, 1e-12));
                } else {
                    li[j] = s / lj[j];
                }
            }
        }
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = g[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * z[k];
            }
            z[i] = s / l[i][i];
        }
        double[] out = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * out[k];
            }
            out[i] = s / l[i][i];
        }
        return out;
    }
}
