package dev.shepherd.onnx;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the label JSONL contract ({@code docs/labels.md}): every model call made while
 * labeling one query. Immutable.
 *
 * @param id           query id
 * @param dataset      dataset name
 * @param query        question text
 * @param gold         reference answer, or null
 * @param llmFull      the large model's full answer
 * @param levels       hint levels p = 0, 10, … % in order (labeling may stop at the first passing one)
 * @param features     reactive features ({@code mean_entropy}, {@code mean_output_length}) or empty
 * @param nStar        minimal hint size in tokens
 * @param nStarPercent its level, or 100 when no level passed
 * @param keep         false when no hint helps and the large model is wrong too
 */
public record LabelRecord(String id, String dataset, String query, String gold, ModelCall llmFull,
                          List<HintLevel> levels, Map<String, Double> features, int nStar, int nStarPercent,
                          boolean keep) {

    public LabelRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(llmFull, "llmFull");
        levels = List.copyOf(levels);
        features = Map.copyOf(features);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("levels of record '" + id + "' must hold at least level 0");
        }
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
     * @param slm              the small model's answer given the hint
     */
    public record HintLevel(int percent, int hintTokens, String hintText, long hintInputTokens, ModelCall slm) {
    }
}
