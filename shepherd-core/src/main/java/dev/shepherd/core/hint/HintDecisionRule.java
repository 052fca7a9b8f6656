package dev.shepherd.core.hint;

import dev.shepherd.core.Decision;

/**
 * The paper's inference rule (docs/method.md#decision-rule) turning a prediction into a decision:
 * π(q) = 0 if P &lt; α, else round(clip(s · (exp(r̂) − 1), 0, N_max)); π = 0 → small model alone;
 * 0 &lt; π ≤ η_hint → a hint of π tokens; π &gt; η_hint → the large model's full answer. Immutable.
 *
 * <p>The hint scale s is 1 in the paper. It exists because the size head learns the <em>smallest</em> passing hint
 * of noisy labels, which underestimates the hint a query needs on average; calibration may choose s &gt; 1 on
 * validation labels, as it chooses α and η_hint, without retraining.
 *
 * @param alpha     need-hint probability threshold α in [0, 1]
 * @param etaHint   longest hint worth buying, η_hint ≥ 1; longer predictions go straight to the large model
 * @param maxHint   N_max ≥ η_hint, the clip of the size head
 * @param hintScale s in (0, 100], the factor applied to the size head's prediction
 */
public record HintDecisionRule(double alpha, int etaHint, int maxHint, double hintScale) {

    /** The paper's rule: α, η_hint and N_max with a hint scale of 1. */
    public HintDecisionRule(double alpha, int etaHint, int maxHint) {
        this(alpha, etaHint, maxHint, 1.0);
    }

    /** Validates α, η_hint, N_max and s. */
    public HintDecisionRule {
        if (!(hintScale > 0 && hintScale <= 100)) {
            throw new IllegalArgumentException("hintScale must be in (0, 100] but was " + hintScale);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1] but was " + alpha);
        }
        if (etaHint < 1) {
            throw new IllegalArgumentException("etaHint must be >= 1 but was " + etaHint);
        }
        if (maxHint < etaHint) {
            throw new IllegalArgumentException("maxHint must be >= etaHint (" + etaHint + ") but was " + maxHint);
        }
    }

    /** The paper's GSM8K reactive setting at the 90 %-of-LLM floor: α = 0.228, η = 58, N_max = 512. */
    public static HintDecisionRule paperGsm8k() {
        return new HintDecisionRule(0.228, 58, 512);
    }

    /** π(q) in tokens, before the η_hint split. */
    public int hintBudget(HintPrediction prediction) {
        if (prediction.needProbability() < alpha) {
            return 0;
        }
        double clipped = Math.min(Math.max(hintScale * prediction.hintTokens(), 0), maxHint);
        return (int) Math.round(clipped);
    }

    /** The decision for a prediction: π = 0 → small model, π ≤ η_hint → hint of π, else the large model. */
    public Decision decide(HintPrediction prediction) {
        int n = hintBudget(prediction);
        if (n == 0) {
            return Decision.smallOnly();
        }
        return n <= etaHint ? Decision.hint(n) : Decision.largeFull();
    }
}
