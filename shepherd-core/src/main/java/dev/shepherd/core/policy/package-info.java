/**
 * The strategies: every {@link ShepherdingPolicy} decides, per query, whether the
 * small model answers alone, with a hint, or the large model answers, and makes its calls through the
 * {@link PolicyContext} the executor gives it. Parameterless policies are made by
 * a static {@code create()} ({@link SmallOnly}, {@link LargeOnly}),
 * every other by its {@code builder()}; the table in {@code shepherd-core/README.md} lists them all. Also
 * here: {@link ConfidenceCalibration}, which picks the confidence cascade's
 * threshold on a validation set. Every built policy is immutable and thread-safe.
 */
package dev.shepherd.core.policy;
