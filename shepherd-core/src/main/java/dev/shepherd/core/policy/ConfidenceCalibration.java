package dev.shepherd.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Picks the {@link ConfidenceCascade} threshold on a validation set, without retraining: each
 * validation query contributes the small model's stated confidence, whether the small model was
 * right and whether the large model was right. A threshold t answers with the small model when
 * confidence ≥ t and defers otherwise. Candidate thresholds are 0 (never defer), every distinct
 * stated confidence, and just above the largest one (defer everything) when that is still ≤ 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfidenceCalibration {

    private ConfidenceCalibration() {
    }

    /**
     * One validation query.
     *
     * @param confidence the small model's parsed confidence in [0, 1] (0 when unparseable)
     * @param smallCorrect whether the small model's answer was right
     * @param largeCorrect whether the large model's answer was right
     */
    public record Sample(double confidence, boolean smallCorrect, boolean largeCorrect) {
        /** Validates the confidence. */
        public Sample {
            Arguments.share("confidence", confidence);
        }

        /** A sample where the large model is assumed right (an optimistic bound when its answers are unknown). */
        public static Sample of(double confidence, boolean smallCorrect) {
            return new Sample(confidence, smallCorrect, true);
        }
    }

    /**
     * One operating point of the cascade on the validation set.
     *
     * @param threshold the threshold
     * @param accuracy  share of queries answered correctly, in [0, 1]
     * @param largeShare  share of queries deferred to the large model, in [0, 1]
     */
    public record Result(double threshold, double accuracy, double largeShare) {
    }

    /**
     * Every candidate threshold's operating point, by increasing threshold.
     *
     * @throws IllegalArgumentException when {@code validation} is empty
     */
    public static List<Result> sweep(List<Sample> validation) {
        Objects.requireNonNull(validation, "validation");
        if (validation.isEmpty()) {
            throw new IllegalArgumentException("validation must hold at least one sample");
        }
        TreeSet<Double> candidates = new TreeSet<>();
        candidates.add(0.0);
        double max = 0;
        for (Sample s : validation) {
            candidates.add(s.confidence());
            max = Math.max(max, s.confidence());
        }
        if (max < 1) {
            candidates.add(Math.nextUp(max));
        }
        List<Result> out = new ArrayList<>(candidates.size());
        for (double t : candidates) {
            int correct = 0;
            int deferred = 0;
            for (Sample s : validation) {
                boolean defer = s.confidence() < t;
                deferred += defer ? 1 : 0;
                correct += (defer ? s.largeCorrect() : s.smallCorrect()) ? 1 : 0;
            }
            out.add(new Result(t, (double) correct / validation.size(), (double) deferred / validation.size()));
        }
        return out;
    }

    /**
     * The threshold that defers the fewest queries while keeping accuracy ≥ {@code accuracyFloor};
     * ties go to the higher accuracy, then the lower threshold.
     *
     * @param accuracyFloor in [0, 1]
     * @return empty when no threshold reaches the floor
     */
    public static Optional<Result> minimizeLargeCalls(List<Sample> validation, double accuracyFloor) {
        Arguments.share("accuracyFloor", accuracyFloor);
        Result best = null;
        for (Result r : sweep(validation)) {
            if (r.accuracy() + 1e-12 < accuracyFloor) {
                continue;
            }
            if (best == null || r.largeShare() < best.largeShare()
                    || (r.largeShare() == best.largeShare() && r.accuracy() > best.accuracy())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The most accurate threshold that defers at most {@code maxLargeShare} of the queries; ties go
     * to the fewer deferrals, then the lower threshold. Always exists: threshold 0 defers nothing.
     *
     * @param maxLargeShare in [0, 1]
     */
    public static Result maximizeAccuracy(List<Sample> validation, double maxLargeShare) {
        Arguments.share("maxLargeShare", maxLargeShare);
        Result best = null;
        for (Result r : sweep(validation)) {
            if (r.largeShare() > maxLargeShare + 1e-12) {
                continue;
            }
            if (best == null || r.accuracy() > best.accuracy()
                    || (r.accuracy() == best.accuracy() && r.largeShare() < best.largeShare())) {
                best = r;
            }
        }
        return best;
    }

}
