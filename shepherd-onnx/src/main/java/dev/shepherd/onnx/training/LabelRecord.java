package dev.shepherd.onnx.training;

import dev.shepherd.core.answer.Votes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the label JSONL contract ({@code docs/labels.md}): every model call made while
 * labeling one query. Immutable.
 *
 * @param id           query id
 * @param dataset      dataset name
 * @param query        question text
 * @param gold         reference answer, or null
 * @param largeFull      the large model's full answer
 * @param levels       hint levels p = 0, 10, … % in order (labeling may stop at the first passing one)
 * @param samples      the K small-model samples of the bare query (reactive shepherding's), possibly empty
 * @param features     reactive features ({@code mean_entropy}, {@code mean_output_length}) or empty
 * @param entropy      which definition {@code features.mean_entropy} uses: {@code "token"} (mean of the samples'
 *                     mean token entropies) or {@code "answer"} (entropy of the samples' final answers); null when
 *                     there are no samples
 * @param allLevels    every level p = 0 … 90 % was recorded (no early stop)
 * @param nStar        minimal hint size in tokens
 * @param nStarPercent its level, or 100 when no level passed
 * @param keep         false when no hint helps and the large model is wrong too
 */
public record LabelRecord(String id, String dataset, String query, String gold, ModelCall largeFull,
                          List<HintLevel> levels, List<Sample> samples, Map<String, Double> features, String entropy,
                          boolean allLevels, int nStar, int nStarPercent, boolean keep) {

    /** {@link #entropy()} when {@code mean_entropy} is the mean token entropy. */
    public static final String ENTROPY_TOKEN = "token";
    /** {@link #entropy()} when {@code mean_entropy} is the entropy of the samples' answers. */
    public static final String ENTROPY_ANSWER = "answer";

    public LabelRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(largeFull, "largeFull");
        levels = List.copyOf(levels);
        samples = samples == null ? List.of() : List.copyOf(samples);
        features = Map.copyOf(features);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("levels of record '" + id + "' must hold at least level 0");
        }
        if (entropy != null && !entropy.equals(ENTROPY_TOKEN) && !entropy.equals(ENTROPY_ANSWER)) {
            throw new IllegalArgumentException("entropy of record '" + id + "' must be 'token', 'answer' or null but was '"
                    + entropy + "'");
        }
    }

    /** A record without samples (the format before samples were recorded): no samples, entropy null, not all levels. */
    public LabelRecord(String id, String dataset, String query, String gold, ModelCall largeFull, List<HintLevel> levels,
                       Map<String, Double> features, int nStar, int nStarPercent, boolean keep) {
        this(id, dataset, query, gold, largeFull, levels, List.of(), features, null, false, nStar, nStarPercent, keep);
    }

    /** Whether the record holds the K small-model samples. */
    public boolean hasSamples() {
        return !samples.isEmpty();
    }

    /**
     * The sample reactive shepherding returns when at least {@code k} samples agree: the first sample carrying the
     * most common non-null answer, when at least {@code k} samples share that answer (as {@code Votes} counts them at
     * serving time).
     *
     * @param k agreement threshold, ≥ 1
     * @return that sample, empty when fewer than {@code k} agree or there are no samples
     */
    public Optional<Sample> agreed(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1 but was " + k);
        }
        if (samples.isEmpty()) {
            return Optional.empty();
        }
        Votes v = votes();
        return v.agree(k) ? Optional.of(samples.get(v.firstIndex())) : Optional.empty();
    }

    /**
     * The plurality sample: the first sample carrying the most common non-null answer (ties go to the earliest, as
     * {@code Votes} decides at serving time), else the first sample.
     *
     * @throws IllegalStateException when the record has no samples
     */
    public Sample plurality() {
        if (samples.isEmpty()) {
            throw new IllegalStateException("record '" + id + "' has no samples (label with --samples K)");
        }
        return samples.get(Math.max(votes().firstIndex(), 0));
    }

    private Votes votes() {
        List<Optional<String>> answers = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            answers.add(Optional.ofNullable(s.answer()));
        }
        return Votes.count(answers);
    }

    /** The training example this record yields. */
    public LabeledExample toExample() {
        return new LabeledExample(id, query, features, nStar);
    }

    /**
     * One recorded model call.
     *
     * @param text          generated text
     * @param inputTokens   prompt tokens
     * @param outputTokens  generated tokens
     * @param finishReason  e.g. STOP or LENGTH
     * @param quality       φ of the answer, in [0, 1]
     */
    public record ModelCall(String text, long inputTokens, long outputTokens, String finishReason, double quality) {
    }

    /**
     * One hint level: the large model's {@code hintTokens}-token prefix and the small model's answer given it.
     *
     * @param percent          p
     * @param hintTokens       n_p = ⌊p/100 · |h_l|⌋
     * @param hintText         the hint
     * @param hintInputTokens  prompt tokens of the hint call (0 at level 0)
     * @param small            the small model's answer given the hint
     */
    public record HintLevel(int percent, int hintTokens, String hintText, long hintInputTokens, ModelCall small) {
    }

    /**
     * One small-model sample of the bare query (no hint), as reactive shepherding draws them.
     *
     * @param text          generated text
     * @param answer        the final answer the task's extractor found, or null when none
     * @param inputTokens   prompt tokens
     * @param outputTokens  generated tokens
     * @param meanEntropy   mean token entropy in nats, or null when the model returned no log-probabilities
     * @param quality       φ of the sample, in [0, 1]
     */
    public record Sample(String text, String answer, long inputTokens, long outputTokens, Double meanEntropy,
                         double quality) {

        public Sample {
            Objects.requireNonNull(text, "text");
        }
    }
}
