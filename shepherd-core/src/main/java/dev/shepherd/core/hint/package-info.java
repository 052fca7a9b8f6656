/**
 * Deciding and buying hints: the {@link dev.shepherd.core.hint.HintPredictor} port (does a query need a
 * hint, and how long; trained in {@code shepherd-onnx}), its input {@link dev.shepherd.core.hint.Features}
 * (reactive ones from {@link dev.shepherd.core.hint.SampleFeatures}), the
 * {@link dev.shepherd.core.hint.HintDecisionRule} that turns a prediction into a decision with α, η_hint and
 * N_max, and the {@link dev.shepherd.core.hint.HintProvider} that buys the {@link dev.shepherd.core.hint.Hint}
 * from the large model. See {@code docs/method.md#predictor} and {@code docs/method.md#decision-rule}.
 */
package dev.shepherd.core.hint;
