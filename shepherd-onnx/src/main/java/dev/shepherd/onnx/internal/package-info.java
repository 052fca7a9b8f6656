/**
 * Implementation details of {@code dev.shepherd.onnx} and its {@code training} and {@code baseline} packages: DJL
 * translators, the heads' ONNX graph and runner, the prediction path both predictors share, the training loop and
 * head families, stratified folds, CSV parsing. Depends on the serving package only. Not API: may change without
 * notice.
 */
package dev.shepherd.onnx.internal;
