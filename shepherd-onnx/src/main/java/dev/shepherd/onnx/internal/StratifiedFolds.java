package dev.shepherd.onnx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stratified, seeded k-fold assignment: the rows of each class are shuffled and dealt round-robin to the folds, so
 * every fold holds about the same share of positives. The one implementation behind the trainer's inner
 * cross-validation and the RouteLLM evaluation's outer folds. Stateless.
 */
public final class StratifiedFolds {

    private StratifiedFolds() {
    }

    /**
     * The fold of each row.
     *
     * @param labels the rows' classes, 0 or 1
     * @param k      the number of folds, ≥ 1
     * @param seed   the shuffle's seed: the same labels, k and seed give the same folds
     * @return the fold in [0, k) of each row, indexed like {@code labels}
     */
    public static int[] assign(int[] labels, int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1 but was " + k);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] fold = new int[labels.length];
        for (int cls = 0; cls <= 1; cls++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == cls) {
                    rows.add(i);
                }
            }
            for (int i = rows.size() - 1; i > 0; i--) { // Fisher–Yates
                int j = rng.nextInt(i + 1);
                Integer tmp = rows.get(i);
                rows.set(i, rows.get(j));
                rows.set(j, tmp);
            }
            for (int i = 0; i < rows.size(); i++) {
                fold[rows.get(i)] = i % k;
            }
        }
        return fold;
    }
}
