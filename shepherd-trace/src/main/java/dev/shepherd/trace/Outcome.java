package dev.shepherd.trace;

/**
 * How good one recorded answer was: either graded right or wrong ({@code "correct": true|false}) or scored
 * ({@code "score"} in [0, 1]). {@link #quality()} is the number replay averages: 1 or 0 for a graded answer, the
 * score otherwise.
 *
 * <p>Immutable and thread-safe.
 *
 * @param correct the grade, or null when the answer was scored
 * @param score the score in [0, 1], or null when the answer was graded
 */
public record Outcome(Boolean correct, Double score) {

    /** Checks that exactly one of the two is given and the score lies in [0, 1]. */
    public Outcome {
        if ((correct == null) == (score == null)) {
            throw new IllegalArgumentException("exactly one of correct and score must be given but were correct="
                    + correct + ", score=" + score);
        }
        if (score != null && !(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1] but was " + score);
        }
    }

    /** A graded answer. */
    public static Outcome correct(boolean correct) {
        return new Outcome(correct, null);
    }

    /** A scored answer, {@code score} in [0, 1]. */
    public static Outcome score(double score) {
        return new Outcome(null, score);
    }

    /** Returns 1 or 0 for a graded answer, the score for a scored one. */
    public double quality() {
        return correct != null ? (correct ? 1 : 0) : score;
    }
}
