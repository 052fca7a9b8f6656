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
        standardize(a, de + nf, mean, std);
        double[] target = new double[rows.length];
        int[] all = new int[rows.length];
        for (int t = 0; t < rows.length; t++) {
            target[t] = y[rows[t]];
            all[t] = t;
        }
        // the intercept all but free (the Hessian's 1e-9 keeps the solve defined), 12 steps: as trained before
        double[] w = Logistic.fit(a, target, all, l2, 5e-10, 12, 1e-7);
        return toWeights(d, de, nf, w, mean, std, a, y, r, rows);
    }

    /**
     * The answer-length model: ridge regression (penalty {@code l2}, intercept free) of log(1 + answer tokens) on the
     * standardised features, then a one-variable logistic regression of the label on the predicted log length.
     * Linear in the features overall, so it takes the same graph as {@link #fit}.
     *
     * @param answerTokens the large model's recorded answer length per row (finite on every row of {@code rows})
     */
    public static HeadsWeights fitThroughAnswerLength(int embeddingDim, double[][] x, int[] y, double[] r,
                                                      double[] answerTokens, int[] rows, double l2) {
        int nf = x[0].length;
        int p = nf + 1;
        double[] mean = new double[nf];
        double[] std = new double[nf];
        double[][] a = new double[rows.length][p];
        for (int t = 0; t < rows.length; t++) {
            System.arraycopy(x[rows[t]], 0, a[t], 0, nf);
            a[t][p - 1] = 1;
        }
        standardize(a, nf, mean, std);
        double[][] h = new double[p][p];
        double[] g = new double[p];
        for (int c = 0; c < p - 1; c++) {
            h[c][c] = l2;
        }
        h[p - 1][p - 1] = 1e-9;
        for (int t = 0; t < rows.length; t++) {
            double target = Math.log1p(answerTokens[rows[t]]);
            for (int c = 0; c < p; c++) {
                g[c] += a[t][c] * target;
                for (int e = 0; e < p; e++) {
                    h[c][e] += a[t][c] * a[t][e];
                }
            }
        }
        double[] beta = Logistic.solve(h, g);
        double[] z = new double[rows.length];
        double zMean = 0;
        for (int t = 0; t < rows.length; t++) {
            for (int c = 0; c < p; c++) {
                z[t] += a[t][c] * beta[c];
            }
            zMean += z[t] / rows.length;
        }
        // logistic regression of the label on the (centred) predicted log length, Newton's method
        double slope = 0;
        double bias = 0;
        for (int it = 0; it < 25; it++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-9;
            double hab = 0;
            double hbb = 1e-9;
            for (int t = 0; t < rows.length; t++) {
                double u = z[t] - zMean;
                double pr = HeadsNetwork.sigmoid(slope * u + bias);
                double gr = pr - y[rows[t]];
                double wt = Math.max(pr * (1 - pr), 1e-6);
                ga += gr * u;
                gb += gr;
                haa += wt * u * u;
                hab += wt * u;
                hbb += wt;
            }
            double det = haa * hbb - hab * hab;
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            slope -= da;
            bias -= db;
            if (Math.max(Math.abs(da), Math.abs(db)) < 1e-9) {
                break;
            }
        }
        double[] w = new double[p];
        for (int c = 0; c < p - 1; c++) {
            w[c] = slope * beta[c];
        }
        w[p - 1] = slope * (beta[p - 1] - zMean) + bias;
        return toWeights(embeddingDim, 0, nf, w, mean, std, a, y, r, rows);
    }

    /** The fitted linear score (weights over the standardised inputs, intercept last) in the heads graph. */
    private static HeadsWeights toWeights(int d, int de, int nf, double[] w, double[] mean, double[] std, double[][] a,
                                          int[] y, double[] r, int[] rows) {
        int p = w.length;
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

    /** Standardises the first {@code cols} columns of {@code a} in place (population variance; a constant column is
     *  centred only), recording each column's mean and scale. */
    private static void standardize(double[][] a, int cols, double[] mean, double[] std) {
        int n = a.length;
        for (int c = 0; c < cols; c++) {
            double m = 0;
            for (double[] row : a) {
                m += row[c] / n;
            }
            double v = 0;
            for (double[] row : a) {
                v += (row[c] - m) * (row[c] - m) / n;
            }
            double s = Math.sqrt(v);
            s = s > 1e-12 ? s : 1;
            mean[c] = m;
            std[c] = s;
            for (double[] row : a) {
                row[c] = (row[c] - m) / s;
            }
        }
    }
}
