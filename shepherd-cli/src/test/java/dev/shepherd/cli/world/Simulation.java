package dev.shepherd.cli.world;

import dev.shepherd.cli.world.QuestionBank.Question;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@link HintWorld}'s two models say, apart from HTTP: the large model's answer, the small model's answer
 * given a hint, and the log-probabilities of both. A simulation, not a language model.
 *
 * <p>Small model: with hint share s (leading hint words that match the large answer, over the large answer's
 * length), P(success) = p_floor + (p_ceil − p_floor) · σ((s − need + margin) / width), where need is d_q (or, for a
 * question it solves alone, a value in [−0.1, 0]); a hint from a wrong large answer does not help (s counts as 0), an
 * unsolvable question stays at p_floor, and a hint holding the whole large answer is copied. The answer is a short
 * worked text ending {@code #### <gold>} on success, else {@code #### <wrong>}; it gets longer, and its token
 * entropies higher, as the uncertainty 4p(1 − p) grows.
 *
 * <p>Immutable and thread-safe; randomness comes from the {@link SplittableRandom} each call is given.
 */
public final class Simulation {

    /** The large model's P(its next token) before jitter: it is always sure of its own solution. */
    static final double LARGE_CONFIDENCE = 0.97;
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final String[] STEPS = {
        "Combine the quantities the way the question asks.",
        "Work out the intermediate result.",
        "Check that result against the question again.",
        "Carry the result over to the next part of the problem.",
        "Reconsider which quantity the question is asking for.",
    };

    /**
     * One answer before truncation.
     *
     * @param text the full output
     * @param successProbability the model's P(success) for this prompt
     * @param hintShare the hint share s (0 without a hint)
     * @param correct whether the final number is the gold one
     */
    public record Reply(String text, double successProbability, double hintShare, boolean correct) {

        /** 4p(1 − p): 0 when sure either way, 1 at p = 0.5. */
        public double uncertainty() {
            return 4 * successProbability * (1 - successProbability);
        }
    }

    private final HintWorld.Config config;

    Simulation(HintWorld.Config config) {
        this.config = config;
    }

    /** The large model's answer: its full solution (ignores any hint). */
    public Reply large(Question q) {
        return new Reply(q.solution(), LARGE_CONFIDENCE, 0, q.largeCorrect());
    }

    /** How many leading words of {@code hint} match the large answer's words. */
    public static int matchedWords(Question q, String hint) {
        if (hint == null) {
            return 0;
        }
        List<String> h = WorldTokens.words(hint);
        List<String> s = q.solutionWords();
        int n = 0;
        while (n < h.size() && n < s.size() && h.get(n).equals(s.get(n))) {
            n++;
        }
        return n;
    }

    /** The hint share s: matched leading words over the large answer's length. */
    public static double hintShare(Question q, String hint) {
        return (double) matchedWords(q, hint) / q.solutionTokens();
    }

    /** The small model's P(success) on {@code q} with hint share {@code share}. */
    public double successProbability(Question q, double share) {
        if (q.difficulty() == QuestionBank.UNSOLVABLE) {
            return config.pFloor();
        }
        double s = q.largeCorrect() ? share : 0; // a flawed solution does not lead to the gold answer
        double x = (s - q.solo() + config.margin()) / config.width();
        return config.pFloor() + (config.pCeil() - config.pFloor()) * sigmoid(x);
    }

    /** The small model's answer to {@code q} given {@code hint} ({@code null}: none). */
    public Reply small(Question q, String hint, boolean continuation, SplittableRandom rng) {
        int matched = matchedWords(q, hint);
        double share = (double) matched / q.solutionTokens();
        if (matched == q.solutionTokens()) {
            // The hint is the whole large answer: copy its final number.
            double p = q.largeCorrect() ? config.pCeil() : 0.03;
            return new Reply((continuation ? "\n" : "The hint already holds the answer.\n") + "#### " + q.largeFinal(),
                    Math.max(p, 1 - p), share, q.largeCorrect());
        }
        double p = successProbability(q, share);
        boolean success = rng.nextDouble() < p;
        String fin = success ? q.gold() : wrong(q, share, rng);
        double u = 4 * p * (1 - p);
        StringBuilder sb = new StringBuilder(256);
        sb.append(continuation ? "\nContinuing from there." : hint != null
                ? "Let's use the hint and work it out step by step." : "Let's work it out step by step.");
        List<String> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(q.key());
        while (m.find() && numbers.size() < 6) {
            numbers.add(m.group());
        }
        sb.append("\nStep 1: ").append(numbers.isEmpty() ? "Read the question carefully."
                : "The question gives " + String.join(", ", numbers) + ".");
        int steps = 1 + rng.nextInt(2) + (int) Math.round(u * 4 * (0.5 + rng.nextDouble()));
        int first = rng.nextInt(STEPS.length);
        for (int i = 0; i < steps; i++) {
            sb.append("\nStep ").append(i + 2).append(": ").append(STEPS[(first + i) % STEPS.length]);
        }
        sb.append("\n#### ").append(fin);
        return new Reply(sb.toString(), p, share, success);
    }

    private String wrong(Question q, double share, SplittableRandom rng) {
        if (!q.largeCorrect() && rng.nextDouble() < share) {
            return q.largeFinal(); // follows the flawed hint
        }
        if (rng.nextDouble() < config.typicalMistakeShare()) {
            return q.typicalWrong();
        }
        return QuestionBank.wrongNumber(q.gold(), rng);
    }

    /**
     * The probability of each emitted token and of its k − 1 alternatives: the top one is max(p, 1 − p) mixed toward
     * uniform by 0.7 · 4p(1 − p), with per-token jitter, so the entropy rises with the model's uncertainty.
     *
     * @return per token, k probabilities in decreasing order (the first is the emitted token's)
     */
    static double[][] topProbabilities(int tokens, double p, int k, SplittableRandom rng) {
        int kk = Math.max(1, k);
        double u = 4 * p * (1 - p);
        double mix = 0.7 * u;
        double base = (1 - mix) * Math.max(p, 1 - p) + mix / Math.max(2, kk);
        double[][] out = new double[tokens][];
        for (int t = 0; t < tokens; t++) {
            double top = base + (rng.nextDouble() - 0.5) * 0.1;
            top = Math.min(0.995, Math.max(1.0 / Math.max(2, kk) + 0.01, top));
            double[] row = new double[kk];
            row[0] = top;
            double norm = 0;
            for (int i = 1; i < kk; i++) {
                norm += Math.pow(0.5, i);
            }
            for (int i = 1; i < kk; i++) {
                row[i] = Math.min(row[i - 1] * 0.98, (1 - top) * 0.9 * Math.pow(0.5, i) / norm);
            }
            out[t] = row;
        }
        return out;
    }

    /** A stable 64-bit hash of a seed and some strings (FNV-1a, then a SplitMix64 finaliser). */
    static long hash(long seed, String... parts) {
        long h = 0xcbf29ce484222325L ^ mix(seed);
        for (String part : parts) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            h ^= 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Φ(z), the standard normal CDF (Abramowitz–Stegun 26.2.17, error &lt; 7.5e-8). */
    static double normalCdf(double z) {
        double t = 1 / (1 + 0.2316419 * Math.abs(z));
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double tail = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * poly;
        return z >= 0 ? 1 - tail : tail;
    }
}
