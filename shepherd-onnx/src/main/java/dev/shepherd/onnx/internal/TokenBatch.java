package dev.shepherd.onnx.internal;

/**
 * Token ids of a padded batch, row-major {@code [rows][width]}. Mutable arrays: build, hand over, forget.
 *
 * @param ids    token ids, 0-padded
 * @param mask   attention mask, 1 for real tokens
 * @param types  token type ids (all 0 for single sequences)
 * @param rows   batch size
 * @param width  longest row
 */
public record TokenBatch(long[] ids, long[] mask, long[] types, int rows, int width) {
}
