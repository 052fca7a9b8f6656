package dev.shepherd.onnx;

import java.util.Locale;

/**
 * Which kind of encoder a predictor bundle embeds queries with, recorded in its metadata
 * ({@code shepherd.encoder}) so that {@link OnnxHintPredictor#load} opens the right one.
 */
public enum EncoderKind {
    /** A transformer ({@link TextEncoder}): {@code encoder/model.onnx} run by ONNX Runtime. */
    TRANSFORMER,
    /**
     * Static token embeddings distilled from a transformer ({@link StaticEncoder}): {@code encoder/static-embeddings.bin},
     * pooled in plain Java; no transformer and no ONNX Runtime at request time.
     */
    STATIC;

    /** The value written into bundle metadata: {@code transformer} or {@code static}. */
    public String metadataValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a metadata value; a bundle written before this field existed has none and is a transformer bundle.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static EncoderKind fromMetadata(String value) {
        if (value == null) {
            return TRANSFORMER;
        }
        for (EncoderKind k : values()) {
            if (k.metadataValue().equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("encoder kind must be 'transformer' or 'static' but was '" + value + "'");
    }
}
