package dev.shepherd.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A SIMULATED four-model trace for tests — no model produced it. Each question asks for the sum of 2 … 12 numbers;
 * its difficulty d ∈ [0, 1] sets how many (so the query text carries the difficulty a router can learn). Four models
 * of rising skill and price answer it: model j is right with probability σ(2.5 · (s_j − 3 · (d − 0.5))), skills
 * −0.8, −0.2, 0.4, 1.0. A wrong answer is the sum plus a random non-zero offset. Optionally the three cheaper models
 * also carry K = 3 samples each (right with the same probability, independently) and a stated confidence (that
 * probability plus Gaussian noise, clipped to [0, 1]). The cheapest model records no token counts (replay counts
 * them); the others do. Every question is asked once. Deterministic for a seed.
 */
public final class SyntheticLadder {

    /** The models, cheapest first. */
    public static final List<String> MODELS = List.of("tiny-1b", "small-8b", "medium-70b", "frontier");
    /** Their prices, USD per million {input, output} tokens. */
    public static final double[][] PRICES = {{0.02, 0.04}, {0.1, 0.3}, {0.6, 0.8}, {3, 12}};
    private static final double[] SKILL = {-0.8, -0.2, 0.4, 1.0};

    private SyntheticLadder() {
    }

    /** {@code n} questions without samples or confidences. */
    public static Trace generate(int n, long seed) {
        return generate(n, seed, false);
    }

    /**
     * Generates the trace.
     *
     * @param n questions
     * @param seed the seed
     * @param extras whether the three cheaper models carry K = 3 samples and a stated confidence
     */
    public static Trace generate(int n, long seed, boolean extras) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TraceRecord> records = new ArrayList<>(n);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            double d = rng.nextDouble();
            int terms = 2 + (int) Math.floor(d * 10.999);
            List<Integer> numbers = new ArrayList<>();
            String query;
            do { // every question once, so a split never holds the same question on both sides
                numbers.clear();
                for (int t = 0; t < terms; t++) {
                    numbers.add(1 + rng.nextInt(99));
                }
                query = "Add these numbers: " + String.join(", ", numbers.stream().map(String::valueOf).toList())
                        + ". What is the total?";
            } while (!seen.add(query));
            int sum = numbers.stream().mapToInt(Integer::intValue).sum();
            Map<String, Response> responses = new LinkedHashMap<>();
            for (int j = 0; j < MODELS.size(); j++) {
                double p = 1 / (1 + Math.exp(-2.5 * (SKILL[j] - 3 * (d - 0.5))));
                int answer = answer(rng, p, sum);
                String text = "Adding step by step gives " + answer + ". #### " + answer;
                Response r = Response.of(text, answer == sum);
                if (j > 0) {
                    r = r.withTokens(20 + 3L * terms, 8 + 4L * terms + 6L * j + rng.nextInt(5));
                }
                if (extras && j < MODELS.size() - 1) {
                    List<Sample> samples = new ArrayList<>();
                    for (int k = 0; k < 3; k++) {
                        int a = answer(rng, p, sum);
                        samples.add(new Sample("… #### " + a, String.valueOf(a), Outcome.correct(a == sum),
                                20 + 3L * terms, 8 + 4L * terms));
                    }
                    double noise = rng.nextDouble() + rng.nextDouble() + rng.nextDouble() - 1.5; // ~N(0, 0.5)
                    r = r.withSamples(samples).withConfidence(Math.min(1, Math.max(0, p + 0.3 * noise)));
                }
                responses.put(MODELS.get(j), r);
            }
            records.add(new TraceRecord("syn-" + i, query, String.valueOf(sum), responses, i + 1));
        }
        return new Trace("synthetic-ladder(seed " + seed + ")", MODELS, records);
    }

    private static int answer(SplittableRandom rng, double p, int sum) {
        if (rng.nextDouble() < p) {
            return sum;
        }
        int offset = 1 + rng.nextInt(9);
        return rng.nextBoolean() ? sum + offset : sum - offset;
    }
}
