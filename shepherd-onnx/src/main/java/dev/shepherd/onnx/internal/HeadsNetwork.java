package dev.shepherd.onnx.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The heads in training: double-precision parameters, one forward/backward pass per example with
 * multi-sample dropout on the need-hint head, AdamW and an EMA copy. Not thread-safe.
 */
public final class HeadsNetwork {

    final int d;
    final int nf;
    final int hf;
    final int h;
    final double[] mean;
    final double[] std;
    /** wf, bf, w1, b1, wy, by, wr, br. */
    final double[][] p;
    private final double[][] grad;
    private final double[][] m1;
    private final double[][] m2;
    private final double[][] ema;
    private int step;

    final boolean useEmbedding;

    /**
     * A network with random initial weights.
     *
     * @param useEmbedding false for a features-only network: the embedding's rows of the trunk stay 0 (so the
     *                     exported graph ignores the embedding) and are never updated
     */
    public HeadsNetwork(int d, int nf, int hf, int h, double[] mean, double[] std, boolean useEmbedding,
                        SplittableRandom rng) {
        this.useEmbedding = useEmbedding;
        this.d = d;
        this.nf = nf;
        this.hf = hf;
        this.h = h;
        this.mean = mean.clone();
        this.std = std.clone();
        this.p = new double[][] {init(nf * hf, nf, rng), new double[hf], init((d + hf) * h, d + hf, rng),
            new double[h], init(h, h, rng), new double[1], init(h, h, rng), new double[1]};
        if (!useEmbedding) {
            Arrays.fill(p[2], 0, d * h, 0);
        }
        this.grad = shape(p);
        this.m1 = shape(p);
        this.m2 = shape(p);
        this.ema = copy(p);
    }

    private static double[] init(int n, int fanIn, SplittableRandom rng) {
        double bound = Math.sqrt(6.0 / Math.max(fanIn, 1));
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = (rng.nextDouble() * 2 - 1) * bound;
        }
        return w;
    }

    private static double[][] shape(double[][] like) {
        double[][] out = new double[like.length][];
        for (int i = 0; i < like.length; i++) {
            out[i] = new double[like[i].length];
        }
        return out;
    }

    private static double[][] copy(double[][] src) {
        double[][] out = new double[src.length][];
        for (int i = 0; i < src.length; i++) {
            out[i] = src[i].clone();
        }
        return out;
    }

    /** Starts the size head at the mean target so early steps are not spent shifting the bias. */
    public void initSizeBias(double meanTarget) {
        p[7][0] = meanTarget;
        ema[7][0] = meanTarget;
    }

    /** Clears accumulated gradients. */
    public void zeroGrad() {
        for (double[] g : grad) {
            Arrays.fill(g, 0);
        }
    }

    /**
     * Forward + backward for one example, accumulating gradients.
     *
     * @param dropMask   averaged multi-sample dropout mask for the trunk output (length h), or null
     * @param wLogit     weight of this example's BCE term (λ / batch), 0 to skip
     * @param wSize      weight of this example's SmoothL1 term ((1−λ) / positives), 0 to skip
     */
    public void accumulate(float[] e, double[] x, int y, double r, double[] dropMask, double wLogit, double wSize) {
        double[] z = new double[nf];
        for (int j = 0; j < nf; j++) {
            z[j] = (x[j] - mean[j]) / std[j];
        }
        double[] wf = p[0];
        double[] a = new double[hf];
        for (int k = 0; k < hf; k++) {
            double s = p[1][k];
            for (int j = 0; j < nf; j++) {
                s += z[j] * wf[j * hf + k];
            }
            a[k] = s;
        }
        double[] w1 = p[2];
        double[] c = new double[h];
        for (int m = 0; m < h; m++) {
            c[m] = p[3][m];
        }
        for (int i = 0; useEmbedding && i < d; i++) {
            double ei = e[i];
            int off = i * h;
            for (int m = 0; m < h; m++) {
                c[m] += ei * w1[off + m];
            }
        }
        for (int k = 0; k < hf; k++) {
            double fk = Math.max(a[k], 0);
            int off = (d + k) * h;
            for (int m = 0; m < h; m++) {
                c[m] += fk * w1[off + m];
            }
        }
        double logit = p[5][0];
        double size = p[7][0];
        for (int m = 0; m < h; m++) {
            double hm = Math.max(c[m], 0);
            logit += hm * p[4][m] * (dropMask == null ? 1 : dropMask[m]);
            size += hm * p[6][m];
        }
        double dLogit = wLogit * (sigmoid(logit) - y);
        double diff = size - r;
        double dSize = wSize * (Math.abs(diff) < 1 ? diff : Math.signum(diff));
        grad[5][0] += dLogit;
        grad[7][0] += dSize;
        double[] dc = new double[h];
        for (int m = 0; m < h; m++) {
            double hm = Math.max(c[m], 0);
            double mask = dropMask == null ? 1 : dropMask[m];
            grad[4][m] += dLogit * hm * mask;
            grad[6][m] += dSize * hm;
            dc[m] = c[m] > 0 ? dLogit * p[4][m] * mask + dSize * p[6][m] : 0;
            grad[3][m] += dc[m];
        }
        double[] g1 = grad[2];
        for (int i = 0; useEmbedding && i < d; i++) {
            double ei = e[i];
            int off = i * h;
            for (int m = 0; m < h; m++) {
                g1[off + m] += ei * dc[m];
            }
        }
        for (int k = 0; k < hf; k++) {
            double fk = Math.max(a[k], 0);
            int off = (d + k) * h;
            double du = 0;
            for (int m = 0; m < h; m++) {
                g1[off + m] += fk * dc[m];
                du += w1[off + m] * dc[m];
            }
            double da = a[k] > 0 ? du : 0;
            grad[1][k] += da;
            for (int j = 0; j < nf; j++) {
                grad[0][j * hf + k] += z[j] * da;
            }
        }
    }

    /** One AdamW step on the accumulated gradients (decay on matrices only), then the EMA update. */
    public void adamW(double lr, double weightDecay, double emaDecay) {
        step++;
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int t = 0; t < p.length; t++) {
            boolean matrix = t % 2 == 0;
            double[] w = p[t];
            for (int i = 0; i < w.length; i++) {
                double g = grad[t][i];
                m1[t][i] = b1 * m1[t][i] + (1 - b1) * g;
                m2[t][i] = b2 * m2[t][i] + (1 - b2) * g * g;
                if (matrix) {
                    w[i] -= lr * weightDecay * w[i];
                }
                w[i] -= lr * (m1[t][i] / c1) / (Math.sqrt(m2[t][i] / c2) + 1e-8);
                ema[t][i] = emaDecay * ema[t][i] + (1 - emaDecay) * w[i];
            }
        }
    }

    /** The EMA weights frozen to float32. */
    public HeadsWeights emaWeights() {
        return new HeadsWeights(d, nf, hf, h, f(mean), f(std), f(ema[0]), f(ema[1]), f(ema[2]), f(ema[3]),
                f(ema[4]), (float) ema[5][0], f(ema[6]), (float) ema[7][0]);
    }

    private static float[] f(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
