package dev.shepherd.onnx;

import java.util.Objects;

/**
 * One text as the encoder saw it. Immutable by convention: the vector is not copied, do not mutate it.
 *
 * @param vector    the pooled embedding
 * @param tokens    the text's length in encoder tokens, special tokens included, before truncation
 * @param truncated whether the encoder saw only the first {@code maxLength} tokens
 */
public record EncodedText(float[] vector, int tokens, boolean truncated) {

    public EncodedText {
        Objects.requireNonNull(vector, "vector");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0 but was " + tokens);
        }
    }
}
