/**
 * Serving the two-stage hint predictor (the paper's decision module): a
 * {@link dev.shepherd.onnx.PredictorBundle} (heads, encoder, calibrated rules, training manifest; the one reader and
 * writer of its files) loaded as an
 * {@link dev.shepherd.onnx.OnnxHintPredictor}, which applies the calibrated rule of each
 * {@link dev.shepherd.onnx.PredictorUse}; the {@link dev.shepherd.onnx.TextEncoder} run by ONNX
 * Runtime and its {@link dev.shepherd.onnx.EncoderFiles} (or, for the fast tier, a
 * {@link dev.shepherd.onnx.StaticEncoder} distilled from it and pooled in plain Java, both
 * {@link dev.shepherd.onnx.QueryEncoder}s); what a bundle records ({@link dev.shepherd.onnx.BundleMetadata},
 * {@link dev.shepherd.onnx.BundleCalibration}, {@link dev.shepherd.onnx.ValidationMetrics}); the features computed
 * from a query ({@link dev.shepherd.onnx.QueryFeatures}).
 *
 * <p>Training and calibration are in {@code dev.shepherd.onnx.training}, the research baselines in
 * {@code dev.shepherd.onnx.baseline}; both build on this package, which imports neither, so an application that
 * only serves a bundle needs nothing else. The module's exceptions live here because every package throws them:
 * {@link dev.shepherd.onnx.BundleException} (model files unusable: replace them) and
 * {@link dev.shepherd.onnx.DataFormatException} (input data unusable: fix it), both unchecked and rooted at
 * {@link dev.shepherd.core.ShepherdException}; argument errors are {@link IllegalArgumentException}s.
 */
package dev.shepherd.onnx;
