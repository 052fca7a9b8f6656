package dev.shepherd.onnx.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small synthetic label sets: arithmetic one-liners the small model solves alone, and multi-step
 * word problems that need a hint whose size grows with the number of steps. Levels are recorded the
 * way {@code shepherd label} writes them.
 */
public final class Synthetic {

    private static final String[] NAMES = {"Ana", "Ben", "Chen", "Dora", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"};
    private static final String[] ITEMS = {"apples", "marbles", "stamps", "books", "coins", "shells", "cards"};

    private Synthetic() {
    }

    public static List<LabelRecord> records(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<LabelRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean hard = i % 2 == 1;
            String name = NAMES[rng.nextInt(NAMES.length)];
            String item = ITEMS[rng.nextInt(ITEMS.length)];
            int a = 2 + rng.nextInt(40);
            int b = 2 + rng.nextInt(40);
            String query;
            int steps = 0;
            if (hard) {
                steps = 2 + rng.nextInt(4);
                StringBuilder q = new StringBuilder(name + " has " + a + " " + item + ".");
                for (int s = 0; s < steps; s++) {
                    q.append(s % 2 == 0 ? " Then a friend gives " + name + " " + (b + s) + " times as many " + item
                            + " as were lost the week before, minus a third of what remained."
                            : " Afterwards " + name + " trades half of the " + item + " for twice as many stickers.");
                }
                query = q.append(" How many ").append(item).append(" are left at the end?").toString();
            } else {
                query = "What is " + a + " + " + b + "?";
            }
            int full = hard ? 60 + 30 * steps : 20;
            int nStar = hard ? full * Math.min(steps, 9) / 10 : 0;
            double entropy = hard ? 0.8 + 0.1 * steps + rng.nextDouble() * 0.2 : 0.1 + rng.nextDouble() * 0.2;
            out.add(record("syn-" + i, query, full, nStar, entropy, hard ? 150 + 10 * steps : 40));
        }
        return out;
    }

    public static LabelRecord record(String id, String query, int full, int nStar, double entropy, double outLen) {
        int qTokens = 20 + query.length() / 4;
        List<LabelRecord.HintLevel> levels = new ArrayList<>();
        for (int p = 0; p <= 90; p += 10) {
            int n = p * full / 100;
            boolean pass = n >= nStar && (nStar > 0 || p == 0) || nStar == 0;
            levels.add(new LabelRecord.HintLevel(p, n, n == 0 ? "" : "hint " + n, n == 0 ? 0 : qTokens,
                    new LabelRecord.ModelCall("answer", qTokens + n, 100, "STOP", pass ? 1.0 : 0.0)));
            if (pass) {
                break;
            }
        }
        // K = 3 samples: an easy query's agree on the right answer, a hard query's disagree and are wrong
        List<LabelRecord.Sample> samples = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            String answer = nStar == 0 ? "0" : Integer.toString(k + 1);
            samples.add(new LabelRecord.Sample("#### " + answer, answer, qTokens, (long) outLen, entropy,
                    nStar == 0 ? 1.0 : 0.0));
        }
        return new LabelRecord(id, "synthetic", query, "0",
                new LabelRecord.ModelCall("full answer", qTokens, full, "STOP", 1.0), levels, samples,
                Map.of("mean_entropy", entropy, "mean_output_length", outLen), LabelRecord.ENTROPY_TOKEN, false,
                nStar, nStar == 0 ? 0 : Math.min(100, nStar * 100 / full), true);
    }

    public static List<LabeledExample> examples(int n, long seed) {
        return records(n, seed).stream().map(LabelRecord::toExample).toList();
    }
}
