package dev.shepherd.onnx.internal;

/**
 * The single-feature baseline as heads weights: {@code logit = a·s·z_j + b} for one standardised feature
 * z_j with sign s, written into the network's shape (one feature unit with a large offset so its ReLU never
 * clips realistic inputs, one trunk unit, embedding weights 0). Its ranking is exactly the feature's.
 * Stateless.
 */
public final class SingleFeatureHead {

    /** Keeps relu(s·z + OFFSET) linear for any input within OFFSET standard deviations of the mean. */
    private static final double OFFSET = 64;

    private SingleFeatureHead() {
    }

    /** ROC-AUC of feature j alone over the rows (as is: not sign-corrected). */
    public static double auc(double[][] x, int[] y, int[] rows, int j) {
        double[] s = new double[rows.length];
        boolean[] l = new boolean[rows.length];
        for (int k = 0; k < rows.length; k++) {
            s[k] = x[rows[k]][j];
            l[k] = y[rows[k]] == 1;
        }
        return Metrics.rocAuc(s, l);
    }

    /** {feature index, sign} of the feature with the best sign-corrected ROC-AUC on the rows (first on ties). */
    public static int[] best(double[][] x, int[] y, int[] rows) {
        int best = 0;
        double bestAuc = -1;
        int sign = 1;
        for (int j = 0; j < x[0].length; j++) {
            double a = auc(x, y, rows, j);
            if (Double.isNaN(a)) {
                continue;
            }
            double corrected = Math.max(a, 1 - a);
            if (corrected > bestAuc + 1e-12) {
                bestAuc = corrected;
                best = j;
                sign = a >= 0.5 ? 1 : -1;
            }
        }
        return new int[] {best, sign};
    }

    /** Fits the baseline on the rows: the best feature, its sign, and a one-variable logistic regression. */
    public static HeadsWeights fit(int d, double[][] x, int[] y, double[] r, int[] rows) {
        int nf = x[0].length;
        double[] mean = new double[nf];
        double[] std = new double[nf];
        for (int i : rows) {
            for (int j = 0; j < nf; j++) {
                mean[j] += x[i][j] / rows.length;
            }
        }
        for (int i : rows) {
            for (int j = 0; j < nf; j++) {
                double dd = x[i][j] - mean[j];
                std[j] += dd * dd / rows.length;
            }
        }
        for (int j = 0; j < nf; j++) {
            std[j] = Math.sqrt(std[j]);
            if (!(std[j] > 1e-12)) {
                std[j] = 1;
            }
        }
        int[] pick = best(x, y, rows);
        int j = pick[0];
        int sign = pick[1];
        // logistic regression of y on u = s·z_j by Newton's method (tiny L2 keeps it finite when separable)
        double a = 0;
        double b = 0;
        double sumR = 0;
        int positives = 0;
        for (int it = 0; it < 25; it++) {
            double ga = 1e-4 * a;
            double gb = 0;
            double haa = 1e-4;
            double hab = 0;
            double hbb = 1e-9;
            for (int i : rows) {
                double u = sign * (x[i][j] - mean[j]) / std[j];
                double p = HeadsNetwork.sigmoid(a * u + b);
                double g = p - y[i];
                double w = p * (1 - p);
                ga += g * u;
                gb += g;
                haa += w * u * u;
                hab += w * u;
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            if (!(Math.abs(det) > 1e-18)) {
                break;
            }
            a -= (hbb * ga - hab * gb) / det;
            b -= (haa * gb - hab * ga) / det;
        }
        a = Math.max(a, 1e-3); // the sign was chosen by ranking: keep the ranking even if the fit is flat
        for (int i : rows) {
            if (y[i] == 1) {
                sumR += r[i];
                positives++;
            }
        }
        float[] wf = new float[nf];
        wf[j] = sign;
        float[] w1 = new float[d + 1];
        w1[d] = 1;
        return new HeadsWeights(d, nf, 1, 1, f(mean), f(std), wf, new float[] {(float) OFFSET}, w1, new float[1],
                new float[] {(float) a}, (float) (b - a * OFFSET), new float[1],
                (float) (positives == 0 ? 0 : sumR / positives));
    }

    private static float[] f(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
