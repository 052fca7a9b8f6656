/**
 * The two-stage hint predictor (SHEPHERDING.md §4) as a trainable, shippable component: a
 * {@link dev.shepherd.onnx.TextEncoder} run by ONNX Runtime through DJL (or, for the fast tier, a
 * {@link dev.shepherd.onnx.StaticEncoder} distilled from it and pooled in plain Java), heads trained in plain Java by
 * {@link dev.shepherd.onnx.PredictorTrainer}, exported as a bundle and served by
 * {@link dev.shepherd.onnx.OnnxHintPredictor}, calibrated by {@link dev.shepherd.onnx.Calibration};
 * learned baselines ({@link dev.shepherd.onnx.ThresholdRouter}, {@link dev.shepherd.onnx.KnnRouter},
 * {@link dev.shepherd.onnx.FrugalGptScorer}) on the same machinery; readers for label files and the
 * RouteLLM trace. All exceptions are unchecked and rooted at {@link dev.shepherd.core.ShepherdException}
 * (argument errors: {@link IllegalArgumentException}).
 */
package dev.shepherd.onnx;
