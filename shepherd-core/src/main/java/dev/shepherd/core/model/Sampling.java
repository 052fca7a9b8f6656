package dev.shepherd.core.model;

/**
 * Temperature and nucleus (top-p) settings of one call. Immutable.
 *
 * @param temperature ≥ 0
 * @param topP        in (0, 1]
 */
public record Sampling(double temperature, double topP) {

    /** The paper's setting for every answer and SLM sample: T = 0.3, top-p 0.95. */
    public static final Sampling PAPER = new Sampling(0.3, 0.95);

    /** Deterministic decoding, used for the LLM's full answer and its hints when labeling. */
    public static final Sampling GREEDY = new Sampling(0.0, 1.0);

    /** Validates temperature and top-p. */
    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0 but was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] but was " + topP);
        }
    }
}
