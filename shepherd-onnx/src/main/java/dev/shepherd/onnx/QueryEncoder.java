package dev.shepherd.onnx;

import java.util.List;

/**
 * What the predictor needs from an encoder: one vector per query and the query's length in tokens. Two kinds
 * exist, and a bundle knows how to store each: a transformer ({@link TextEncoder}, MiniLM by default) and static
 * token embeddings distilled from one ({@link StaticEncoder}, ~100× cheaper per query). Training
 * ({@link PredictorTrainer}), the baselines and serving ({@link OnnxHintPredictor}) accept either.
 *
 * <p>Implementations are thread-safe; {@link #close()} is idempotent.
 */
public sealed interface QueryEncoder extends AutoCloseable permits TextEncoder, StaticEncoder {

    /** The encoder's identifier, written into bundle metadata. */
    String id();

    /** Which kind of encoder this is (recorded in bundles). */
    EncoderKind kind();

    /** How token vectors are pooled into one vector. */
    Pooling pooling();

    /** Longest input in tokens (special tokens included); longer texts are truncated and flagged. */
    int maxLength();

    /** Whether pooled vectors are L2-normalised. */
    boolean normalize();

    /** Length of the pooled vectors. */
    int dimension();

    /** The text's length in encoder tokens, special tokens included, without truncation. */
    int tokenCount(String text);

    /** Encodes one text. */
    EncodedText encode(String text);

    /** Encodes a batch, in order. */
    List<EncodedText> encodeAll(List<String> texts);

    /** Releases native resources, if any. */
    @Override
    void close();
}
