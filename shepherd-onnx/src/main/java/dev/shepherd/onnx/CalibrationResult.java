package dev.shepherd.onnx;

import dev.shepherd.core.hint.HintDecisionRule;

/**
 * One decision rule's simulated outcome on the calibration records. Immutable.
 *
 * @param rule        the rule (α, η_hint, N_max)
 * @param accuracy    mean quality over the records
 * @param meanCost    mean dollars per query
 * @param slmShare    share of queries answered by the small model alone
 * @param hintShare   share of queries that bought a hint
 * @param llmShare    share of queries routed to the large model's full answer
 */
public record CalibrationResult(HintDecisionRule rule, double accuracy, double meanCost, double slmShare,
                                double hintShare, double llmShare) {
}
