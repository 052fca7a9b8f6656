package dev.shepherd.onnx.internal;

/**
 * An L2-regularised logistic regression of the need-help label on the standardised features (and, optionally,
 * the standardised embedding), fitted by Newton's method and written into the heads network's shape so that
 * the same graph serves it: each feature unit passes {@code z_k + OFFSET} (ReLU never clips it), one trunk
 * unit carries the linear score plus a margin that keeps it positive, the need head subtracts the margin
 * again. The size head is the mean log target of the positives. Deterministic; stateless.
 */
public final class LinearHead {

    private static final double OFFSET = 64;

    private LinearHead() {
    }

    /**
     * Fits on the rows.
     *
     * @param l2 penalty λ·‖w‖² on the weights (not the intercept), with the loss summed over rows
     */
    public static HeadsWeights fit(float[][] emb, double[][] x, int[] y, double[] r, int[] rows, boolean useEmbedding,
                                   double l2) {
        int d = emb[0].length;
        int nf = x[0].length;
        int de = useEmbedding ? d : 0;
        int p = de + nf + 1;
        double[] mean = new double[de + nf];
        double[] std = new double[de + nf];
        double[][] a = new double[rows.length][p];
        for (int t = 0; t < rows.length; t++) {
            int i = rows[t];
            for (int c = 0; c < de; c++) {
                a[t][c] = emb[i][c];
            }
            for (int j = 0; j < nf; j++) {
                a[t][de + j] = x[i][j];
            }
            a[t][p - 1] = 1;
        }
        for (int c = 0; c < de + nf; c++) {
            double m = 0;
            for (double[] row : a) {
                m += row[c] / rows.length;
            }
            double v = 0;
            for (double[] row : a) {
                v += (row[c] - m) * (row[c] - m) / rows.length;
            }
            double s = Math.sqrt(v);
            s = s > 1e-12 ? s : 1;
            mean[c] = m;
            std[c] = s;
            for (double[] row : a) {
                row[c] = (row[c] - m) / s;
            }
        }
        double[] w = new double[p];
        for (int it = 0; it < 12; it++) {
            double[] g = new double[p];
            double[][] h = new double[p][p];
            for (int c = 0; c < p - 1; c++) {
                g[c] = 2 * l2 * w[c];
                h[c][c] = 2 * l2;
            }
            h[p - 1][p - 1] = 1e-9;
            for (int t = 0; t < rows.length; t++) {
                double[] row = a[t];
                double s = 0;
                for (int c = 0; c < p; c++) {
                    s += row[c] * w[c];
                }
                double pr = HeadsNetwork.sigmoid(s);
                double gr = pr - y[rows[t]];
                double wt = Math.max(pr * (1 - pr), 1e-6);
                for (int c = 0; c < p; c++) {
                    g[c] += gr * row[c];
                    double rc = wt * row[c];
                    double[] hc = h[c];
                    for (int e = c; e < p; e++) {
                        hc[e] += rc * row[e];
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
            if (change < 1e-7) {
                break;
            }
        }
        // fold the embedding's standardisation into its weights; the features keep theirs in the graph
        double intercept = w[p - 1];
        float[] w1 = new float[(d + nf)];
        double embShift = 0;
        for (int c = 0; c < de; c++) {
            w1[c] = (float) (w[c] / std[c]);
            embShift -= w[c] * mean[c] / std[c];
        }
        double sumBeta = 0;
        for (int j = 0; j < nf; j++) {
            w1[d + j] = (float) w[de + j];
            sumBeta += w[de + j];
        }
        double margin = 8;
        for (double[] row : a) {
            double s = 0;
            for (int c = 0; c < p - 1; c++) {
                s += row[c] * w[c];
            }
            margin = Math.max(margin, 8 * Math.abs(s) + 8);
        }
        float[] fMean = new float[nf];
        float[] fStd = new float[nf];
        float[] wf = new float[nf * nf];
        float[] bf = new float[nf];
        for (int j = 0; j < nf; j++) {
            fMean[j] = (float) mean[de + j];
            fStd[j] = (float) std[de + j];
            wf[j * nf + j] = 1;
            bf[j] = (float) OFFSET;
        }
        double sumR = 0;
        int positives = 0;
        for (int i : rows) {
            if (y[i] == 1) {
                sumR += r[i];
                positives++;
            }
        }
        return new HeadsWeights(d, nf, nf, 1, fMean, fStd, wf, bf, w1,
                new float[] {(float) (margin + embShift - OFFSET * sumBeta)}, new float[] {1},
                (float) (intercept - margin), new float[1], (float) (positives == 0 ? 0 : sumR / positives));
    }

    /** Solves h·s = g for a symmetric positive definite h (Cholesky). */
    private static double[] solve(double[][] h, double[] g) {
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
