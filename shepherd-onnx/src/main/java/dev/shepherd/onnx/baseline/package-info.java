/**
 * The learned baselines the paper compares shepherding with, on the same encoder and trainer: a RouteLLM-style
 * {@link dev.shepherd.onnx.baseline.ThresholdRouter} and similarity-weighted
 * {@link dev.shepherd.onnx.baseline.KnnRouter}, a FrugalGPT-style answer scorer
 * ({@link dev.shepherd.onnx.baseline.FrugalGptScorer}), and the cross-validated routing study on RouteLLM's public
 * trace ({@link dev.shepherd.onnx.baseline.RouteLlmEvaluation}, reading it with
 * {@link dev.shepherd.onnx.baseline.RouteLlmTrace}). Each router is a {@code HintPredictor} for core's
 * {@code PredictorRouting}.
 *
 * <p>Research code: builds on {@code dev.shepherd.onnx} and {@code dev.shepherd.onnx.training}; neither depends on
 * it.
 */
package dev.shepherd.onnx.baseline;
