package dev.shepherd.cli.label;

import dev.shepherd.core.model.Sampling;

import java.util.List;
import java.util.Objects;

/**
 * Labeling settings.
 *
 * @param tau the quality threshold τ a hinted SLM answer must reach, in (0, 1]
 * @param percents the hint levels p, ascending, starting at 0 (paper: 0, 10, …, 90)
 * @param stopAtFirstPass stop at the first passing level (cheaper; levels after it are absent from the record)
 * @param slmSampling the SLM's sampling (paper: T = 0.3, top_p 0.95)
 */
public record LabelSettings(double tau, List<Integer> percents, boolean stopAtFirstPass, Sampling slmSampling) {

    /** The paper's levels: 0, 10, …, 90 %. */
    public static final List<Integer> PAPER_LEVELS = List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);

    /** Validates. */
    public LabelSettings {
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1] but was " + tau);
        }
        percents = List.copyOf(percents);
        if (percents.isEmpty() || percents.get(0) != 0) {
            throw new IllegalArgumentException("percents must start at 0 but were " + percents);
        }
        for (int i = 1; i < percents.size(); i++) {
            if (percents.get(i) <= percents.get(i - 1) || percents.get(i) >= 100) {
                throw new IllegalArgumentException("percents must ascend within [0, 100) but were " + percents);
            }
        }
        Objects.requireNonNull(slmSampling, "slmSampling");
    }

    /** The paper's settings: τ = 1 (exact match / all tests pass), levels 0…90 %, stop at first pass. */
    public static LabelSettings paper() {
        return new LabelSettings(1.0, PAPER_LEVELS, true, Sampling.PAPER);
    }
}
