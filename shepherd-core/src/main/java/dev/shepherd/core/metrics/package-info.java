/**
 * Scoring strategies the way the paper does: {@link dev.shepherd.core.metrics.ScoreRecorder} accumulates a
 * {@link dev.shepherd.core.metrics.StrategyScore} (accuracy, cost, large-model calls, hint tokens) from
 * results, and {@link dev.shepherd.core.metrics.Metrics} derives cost reduction, ACE and the minimum cost to
 * reach a share of the large model's accuracy from scores and {@link dev.shepherd.core.metrics.OperatingPoint}s.
 * See {@code docs/method.md#metrics}.
 */
package dev.shepherd.core.metrics;
