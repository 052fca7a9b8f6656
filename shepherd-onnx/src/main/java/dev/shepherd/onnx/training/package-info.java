/**
 * Making a predictor bundle: the label contract ({@link dev.shepherd.onnx.training.LabelFile},
 * {@link dev.shepherd.onnx.training.LabelRecord}) and training examples
 * ({@link dev.shepherd.onnx.training.LabeledExample}, {@link dev.shepherd.onnx.training.EncodedExamples}); the
 * {@link dev.shepherd.onnx.training.PredictorTrainer} with its model choice
 * ({@link dev.shepherd.onnx.training.HeadCandidate}, {@link dev.shepherd.onnx.training.ModelSelection}) and the
 * {@link dev.shepherd.onnx.training.TrainedPredictor} it returns, which exports its heads into a bundle; and
 * {@link dev.shepherd.onnx.training.Calibration}, which chooses each use's decision rule on label records without
 * retraining ({@link dev.shepherd.onnx.training.CalibrationResult}; an unreachable target is a
 * {@link dev.shepherd.onnx.training.CalibrationException}).
 *
 * <p>Builds on the serving package {@code dev.shepherd.onnx} (encoder, bundle, metadata); serving does not depend
 * on this package.
 *
 * <p>Also builds encoders for the predictor offline: {@link dev.shepherd.onnx.training.StaticDistiller} distills a
 * transformer ({@link dev.shepherd.onnx.TextEncoder}) into static token embeddings
 * ({@link dev.shepherd.onnx.StaticEncoder}), the predictor's fast tier. One-off commands, not request-time code.
 */
package dev.shepherd.onnx.training;
