/**
 * Scoring strategies the way the paper does: {@link ScoreRecorder} accumulates a
 * {@link StrategyScore} (accuracy, cost, large-model calls, hint tokens) from
 * results, and {@link Metrics} derives cost reduction, ACE and the minimum cost to
 * reach a share of the large model's accuracy from scores and {@link OperatingPoint}s.
 * See {@code docs/method.md#metrics}.
 */
package dev.shepherd.core.metrics;
