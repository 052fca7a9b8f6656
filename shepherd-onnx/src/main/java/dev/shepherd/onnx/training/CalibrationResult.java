package dev.shepherd.onnx.training;

import dev.shepherd.core.hint.HintDecisionRule;

/**
 * One decision rule's simulated outcome on the calibration records. Immutable.
 *
 * @param rule        the rule (α, η_hint, N_max)
 * @param accuracy    mean quality over the records
 * @param meanCost    mean dollars per query
 * @param smallShare    share of queries answered by the small model alone
 * @param hintShare   share of queries that bought a hint
 * @param largeShare    share of queries routed to the large model's full answer
 * @param agreement   k, how many of the K samples had to agree (reactive use), else 0
 */
public record CalibrationResult(HintDecisionRule rule, double accuracy, double meanCost, double smallShare,
                                double hintShare, double largeShare, int agreement) {

    /** A result without an agreement gate. */
    public CalibrationResult(HintDecisionRule rule, double accuracy, double meanCost, double smallShare,
                             double hintShare, double largeShare) {
        this(rule, accuracy, meanCost, smallShare, hintShare, largeShare, 0);
    }
}
