/**
 * Implementation details of {@code dev.shepherd.onnx}: DJL translators, the training loop, the ONNX
 * graph writer, CSV parsing. Not API: may change without notice.
 */
package dev.shepherd.onnx.internal;
