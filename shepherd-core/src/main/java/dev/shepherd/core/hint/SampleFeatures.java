package dev.shepherd.core.hint;

import dev.shepherd.core.model.Completion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The reactive features of K small-model samples of one query
 * (docs/method.md#proactive-and-reactive-shepherding): the mean output length and the mean
 * entropy. The one place this is computed, so that labeling ({@code shepherd label}) writes
 * exactly what reactive shepherding feeds the predictor at serving time. Stateless and
 * thread-safe.
 *
 * <ul>
 *   <li>{@link Features#MEAN_OUTPUT_LENGTH}: the mean of the samples' output tokens.</li>
 *   <li>{@link Features#MEAN_ENTROPY}: when every sample carries token entropies
 *       ({@link EntropySource#TOKEN}), the mean of the samples' mean token entropies (nats); else
 *       ({@link EntropySource#ANSWER}) the entropy in nats of the empirical distribution of the
 *       samples' final answers, a sample without an answer counting as a value of its own.</li>
 * </ul>
 */
public final class SampleFeatures {

    private SampleFeatures() {
    }

    /** Which definition of {@link Features#MEAN_ENTROPY} is used. */
    public enum EntropySource {
        /** The mean of the samples' mean token entropies (needs log-probabilities from the model). */
        TOKEN,
        /** The entropy of the distribution of the samples' final answers. */
        ANSWER;

        /** The lower-case name used in files and notes: {@code "token"} or {@code "answer"}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses {@code "token"} or {@code "answer"} (any case).
         *
         * @throws IllegalArgumentException naming the value otherwise
         */
        public static EntropySource parse(String value) {
            if (value != null) {
                for (EntropySource s : values()) {
                    if (s.label().equalsIgnoreCase(value.strip())) {
                        return s;
                    }
                }
            }
            throw new IllegalArgumentException("entropy source must be 'token' or 'answer' but was '" + value + "'");
        }
    }

    /**
     * The features and which entropy definition they used.
     *
     * @param features {@link Features#MEAN_ENTROPY} and {@link Features#MEAN_OUTPUT_LENGTH}, in that order
     * @param source   the entropy definition used
     */
    public record Result(Features features, EntropySource source) {

        /** Validates. */
        public Result {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(source, "source");
        }

        /** The mean entropy. */
        public double meanEntropy() {
            return features.get(Features.MEAN_ENTROPY).orElseThrow();
        }

        /** The mean output length. */
        public double meanOutputLength() {
            return features.get(Features.MEAN_OUTPUT_LENGTH).orElseThrow();
        }
    }

    /**
     * The features of drawn samples, choosing the entropy definition automatically (token entropy
     * when every sample carries token entropies, else answer entropy).
     *
     * @param samples the K completions, at least one
     * @param answers their extracted final answers, one per sample
     */
    public static Result of(List<Completion> samples, List<Optional<String>> answers) {
        return of(samples, answers, null);
    }

    /**
     * The features of drawn samples with a required entropy definition.
     *
     * @param samples the K completions, at least one
     * @param answers their extracted final answers, one per sample
     * @param source  {@code null} for automatic; {@link EntropySource#TOKEN} requires token entropies on every sample;
     *                {@link EntropySource#ANSWER} always uses the answers
     * @throws MissingTokenEntropyException when {@code source} is TOKEN and a sample carries no token entropies
     */
    public static Result of(List<Completion> samples, List<Optional<String>> answers, EntropySource source) {
        Objects.requireNonNull(samples, "samples");
        List<Double> meanEntropies = new ArrayList<>(samples.size());
        List<Long> outputTokens = new ArrayList<>(samples.size());
        for (Completion c : samples) {
            OptionalDouble m = c.meanEntropy();
            meanEntropies.add(m.isPresent() ? m.getAsDouble() : null);
            outputTokens.add((long) c.outputTokens());
        }
        return compute(meanEntropies, outputTokens, answers, source);
    }

    /**
     * The features from recorded per-sample values (e.g. a label file's samples), computed exactly as
     * {@link #of(List, List, EntropySource)} computes them from completions.
     *
     * @param meanTokenEntropies each sample's mean token entropy in nats, {@code null} where the model returned no
     *                           log-probabilities
     * @param outputTokens       each sample's output tokens
     * @param answers            each sample's final answer, empty where none
     * @param source             {@code null} for automatic, else the required definition
     * @throws IllegalArgumentException     when the lists are empty or of different sizes
     * @throws MissingTokenEntropyException when {@code source} is TOKEN and a sample has no token entropy
     */
    public static Result compute(List<Double> meanTokenEntropies, List<? extends Number> outputTokens,
                                 List<Optional<String>> answers, EntropySource source) {
        Objects.requireNonNull(meanTokenEntropies, "meanTokenEntropies");
        Objects.requireNonNull(outputTokens, "outputTokens");
        Objects.requireNonNull(answers, "answers");
        int k = meanTokenEntropies.size();
        if (k == 0) {
            throw new IllegalArgumentException("sample features need at least one sample");
        }
        if (outputTokens.size() != k || answers.size() != k) {
            throw new IllegalArgumentException("one entropy, output length and answer per sample is needed but got "
                    + k + ", " + outputTokens.size() + " and " + answers.size());
        }
        double meanLength = outputTokens.stream().mapToLong(Number::longValue).average().orElse(0);
        boolean allHaveEntropy = meanTokenEntropies.stream().allMatch(Objects::nonNull);
        EntropySource used;
        if (source == null) {
            used = allHaveEntropy ? EntropySource.TOKEN : EntropySource.ANSWER;
        } else if (source == EntropySource.TOKEN && !allHaveEntropy) {
            throw new MissingTokenEntropyException("predictor trained on token entropy but the small model returned "
                    + "no log-probabilities; enable log-probabilities on the small model's client (OpenAI-compatible: "
                    + "logprobs=true, top_logprobs=5) or use a predictor trained on answer entropy");
        } else {
            used = source;
        }
        double entropy = used == EntropySource.TOKEN
                ? meanTokenEntropies.stream().mapToDouble(Double::doubleValue).average().orElse(0)
                : answerEntropy(answers);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(Features.MEAN_ENTROPY, entropy);
        values.put(Features.MEAN_OUTPUT_LENGTH, meanLength);
        return new Result(Features.of(values), used);
    }

    /**
     * Entropy (nats) of the empirical distribution of final answers; a missing answer counts as a
     * value of its own (distinct from every other sample).
     */
    public static double answerEntropy(List<Optional<String>> answers) {
        Map<String, Integer> counts = new HashMap<>();
        int missing = 0;
        for (Optional<String> a : answers) {
            if (a.isPresent()) {
                counts.merge(a.get(), 1, Integer::sum);
            } else {
                missing++;
            }
        }
        double n = answers.size();
        double h = 0;
        for (int c : counts.values()) {
            h -= c / n * Math.log(c / n);
        }
        if (missing > 0) { // each unanswered sample is distinct from all others
            h -= missing * (1 / n) * Math.log(1 / n);
        }
        return h;
    }
}
