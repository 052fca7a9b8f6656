package dev.shepherd.onnx;

/**
 * How the trained heads did on the held-out validation split (EMA weights of the best epoch).
 * NaN where undefined (no validation split, or one class only). Immutable.
 *
 * @param rocAuc             ROC-AUC of the need-hint probability
 * @param logLoss            mean binary cross-entropy of the need-hint head
 * @param sizeMae            mean |r̂ − log(1 + n*)| over validation queries that need a hint
 * @param trainExamples      examples trained on
 * @param validationExamples examples held out
 * @param epochs             epochs run (early stopping included)
 * @param bestEpoch          the epoch whose EMA weights were kept (1-based)
 */
public record ValidationMetrics(double rocAuc, double logLoss, double sizeMae, int trainExamples,
                                int validationExamples, int epochs, int bestEpoch) {
}
