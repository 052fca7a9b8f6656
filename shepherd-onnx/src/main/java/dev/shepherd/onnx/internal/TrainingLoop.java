package dev.shepherd.onnx.internal;

import dev.shepherd.onnx.ValidationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The heads' training loop (docs/method.md#predictor): loss λ·BCE + (1−λ)·SmoothL1 on positives only,
 * class-balanced batches, multi-sample dropout on the need-hint head, AdamW, EMA weights evaluated
 * on the validation split after every epoch, early stopping. Single-threaded, so a seed fixes the
 * result. Not thread-safe.
 */
public final class TrainingLoop {

    /** Hyper-parameters; validated by the public builder. */
    public record Config(long seed, double lambda, double learningRate, double weightDecay, int batchSize,
                         int maxEpochs, int patience, double emaDecay, int hidden, int featureHidden,
                         double dropout, int dropoutSamples, boolean balanced, boolean useEmbedding) {
    }

    /** What training produced. */
    public record Result(HeadsWeights weights, ValidationMetrics metrics) {
    }

    private final Config cfg;
    private final float[][] emb;
    private final double[][] x;
    private final int[] y;
    private final double[] r;

    public TrainingLoop(Config cfg, float[][] emb, double[][] x, int[] y, double[] r) {
        this.cfg = cfg;
        this.emb = emb;
        this.x = x;
        this.y = y;
        this.r = r;
    }

    public Result run(int[] train, int[] val) {
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        int nf = x[0].length;
        double[] mean = new double[nf];
        double[] std = new double[nf];
        standardisation(train, mean, std);
        HeadsNetwork net = new HeadsNetwork(emb[0].length, nf, cfg.featureHidden(), cfg.hidden(), mean, std,
                cfg.useEmbedding(), rng);
        List<Integer> pos = new ArrayList<>();
        List<Integer> neg = new ArrayList<>();
        double sumR = 0;
        for (int i : train) {
            if (y[i] == 1) {
                pos.add(i);
                sumR += r[i];
            } else {
                neg.add(i);
            }
        }
        net.initSizeBias(sumR / Math.max(pos.size(), 1));
        int steps = Math.max(1, (train.length + cfg.batchSize() - 1) / cfg.batchSize());
        HeadsWeights best = net.emaWeights();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        double[] bestEval = {Double.NaN, Double.NaN, Double.NaN};
        while (epoch < cfg.maxEpochs()) {
            epoch++;
            for (int s = 0; s < steps; s++) {
                step(net, batch(rng, train, pos, neg), rng);
            }
            HeadsWeights w = net.emaWeights();
            if (val.length == 0) {
                best = w;
                bestEpoch = epoch;
                continue;
            }
            double[] eval = evaluate(w, val);
            if (eval[3] < bestLoss - 1e-5) {
                bestLoss = eval[3];
                best = w;
                bestEpoch = epoch;
                bestEval = eval;
            } else if (epoch - bestEpoch >= cfg.patience()) {
                break;
            }
        }
        ValidationMetrics metrics = new ValidationMetrics(bestEval[0], bestEval[1], bestEval[2], train.length,
                val.length, epoch, bestEpoch);
        return new Result(best, metrics);
    }

    private void standardisation(int[] train, double[] mean, double[] std) {
        int nf = mean.length;
        for (int i : train) {
            for (int j = 0; j < nf; j++) {
                mean[j] += x[i][j] / train.length;
            }
        }
        for (int i : train) {
            for (int j = 0; j < nf; j++) {
                double d = x[i][j] - mean[j];
                std[j] += d * d / train.length;
            }
        }
        for (int j = 0; j < nf; j++) {
            std[j] = Math.sqrt(std[j]);
            if (!(std[j] > 1e-12)) {
                std[j] = 1;
            }
        }
    }

    private int[] batch(SplittableRandom rng, int[] train, List<Integer> pos, List<Integer> neg) {
        int n = Math.min(cfg.batchSize(), Math.max(train.length, 2));
        int[] b = new int[n];
        for (int k = 0; k < n; k++) {
            if (cfg.balanced()) {
                List<Integer> from = (k % 2 == 0) ? pos : neg;
                b[k] = from.get(rng.nextInt(from.size()));
            } else {
                b[k] = train[rng.nextInt(train.length)];
            }
        }
        return b;
    }

    private void step(HeadsNetwork net, int[] batch, SplittableRandom rng) {
        int positives = 0;
        for (int i : batch) {
            positives += y[i];
        }
        net.zeroGrad();
        double wLogit = cfg.lambda() / batch.length;
        double wSize = positives == 0 ? 0 : (1 - cfg.lambda()) / positives;
        double keep = 1 - cfg.dropout();
        for (int i : batch) {
            double[] mask = null;
            if (cfg.dropout() > 0) {
                mask = new double[cfg.hidden()];
                for (int k = 0; k < cfg.dropoutSamples(); k++) {
                    for (int m = 0; m < mask.length; m++) {
                        if (rng.nextDouble() < keep) {
                            mask[m] += 1 / keep / cfg.dropoutSamples();
                        }
                    }
                }
            }
            net.accumulate(emb[i], x[i], y[i], r[i], mask, wLogit, y[i] == 1 ? wSize : 0);
        }
        net.adamW(cfg.learningRate(), cfg.weightDecay(), cfg.emaDecay());
    }

    /** {auc, logLoss, sizeMae, combined loss} over the validation rows. */
    private double[] evaluate(HeadsWeights w, int[] val) {
        double[] scores = new double[val.length];
        boolean[] labels = new boolean[val.length];
        double bce = 0;
        double sl1 = 0;
        double mae = 0;
        int positives = 0;
        for (int k = 0; k < val.length; k++) {
            int i = val[k];
            double[] out = w.forward(emb[i], x[i]);
            double p = HeadsNetwork.sigmoid(out[0]);
            scores[k] = out[0];
            labels[k] = y[i] == 1;
            p = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
            bce -= y[i] == 1 ? Math.log(p) : Math.log(1 - p);
            if (y[i] == 1) {
                positives++;
                double d = Math.abs(out[1] - r[i]);
                mae += d;
                sl1 += d < 1 ? 0.5 * d * d : d - 0.5;
            }
        }
        bce /= val.length;
        double sizeMae = positives == 0 ? Double.NaN : mae / positives;
        double sizeLoss = positives == 0 ? 0 : sl1 / positives;
        double combined = cfg.lambda() * bce + (1 - cfg.lambda()) * sizeLoss;
        return new double[] {Metrics.rocAuc(scores, labels), bce, sizeMae, combined};
    }
}
