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
 * @param smallSampling the SLM's sampling of the level answers (paper: T = 0.3, top_p 0.95)
 * @param samples K, the small-model samples of the bare query drawn after the levels for reactive shepherding's
 *                features (0: none)
 * @param sampleSampling the sampling of those samples; {@link Sampling#PAPER} (T = 0.3, top_p 0.95), which is what
 *                       reactive shepherding uses at serving time by default
 */
public record LabelSettings(double tau, List<Integer> percents, boolean stopAtFirstPass, Sampling smallSampling,
                            int samples, Sampling sampleSampling) {

    /** The paper's levels: 0, 10, …, 90 %. */
    public static final List<Integer> PAPER_LEVELS = List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);

    /** K = 3 samples, the paper's. */
    public static final int DEFAULT_SAMPLES = 3;

    /** Settings with {@link #DEFAULT_SAMPLES} samples at {@link Sampling#PAPER}. */
    public LabelSettings(double tau, List<Integer> percents, boolean stopAtFirstPass, Sampling smallSampling) {
        this(tau, percents, stopAtFirstPass, smallSampling, DEFAULT_SAMPLES, Sampling.PAPER);
    }

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
        Objects.requireNonNull(smallSampling, "smallSampling");
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0 but was " + samples);
        }
        Objects.requireNonNull(sampleSampling, "sampleSampling");
    }

    /** These settings with {@code k} samples. */
    public LabelSettings withSamples(int k) {
        return new LabelSettings(tau, percents, stopAtFirstPass, smallSampling, k, sampleSampling);
    }

    /** The paper's settings: τ = 1 (exact match / all tests pass), levels 0…90 %, stop at first pass, K = 3. */
    public static LabelSettings paper() {
        return new LabelSettings(1.0, PAPER_LEVELS, true, Sampling.PAPER, DEFAULT_SAMPLES, Sampling.PAPER);
    }
}
