/**
 * Building encoders for the predictor offline: {@link dev.shepherd.onnx.training.StaticDistiller} distills a
 * transformer ({@link dev.shepherd.onnx.TextEncoder}) into static token embeddings
 * ({@link dev.shepherd.onnx.StaticEncoder}), the predictor's fast tier. One-off commands, not request-time code.
 */
package dev.shepherd.onnx.training;
