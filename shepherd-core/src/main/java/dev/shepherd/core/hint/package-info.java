/**
 * Deciding and buying hints: the {@link HintPredictor} port (does a query need a
 * hint, and how long; trained in {@code shepherd-onnx}), its input {@link Features}
 * (reactive ones from {@link SampleFeatures}), the
 * {@link HintDecisionRule} that turns a prediction into a decision with α, η_hint and
 * N_max, and the {@link HintProvider} that buys the {@link Hint}
 * from the large model. See {@code docs/method.md#predictor} and {@code docs/method.md#decision-rule}.
 */
package dev.shepherd.core.hint;
