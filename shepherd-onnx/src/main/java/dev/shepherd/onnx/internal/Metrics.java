package dev.shepherd.onnx.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Ranking metrics. Stateless. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * ROC-AUC by the rank-sum (Mann–Whitney) formula, ties sharing their average rank.
     *
     * @return NaN when either class is absent
     */
    public static double rocAuc(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double[] rank = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = avg;
            }
            i = j + 1;
        }
        long pos = 0;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            if (positive[k]) {
                pos++;
                sum += rank[k];
            }
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (sum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
