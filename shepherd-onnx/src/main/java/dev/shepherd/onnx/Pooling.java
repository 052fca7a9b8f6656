package dev.shepherd.onnx;

/** How a {@link TextEncoder} turns per-token hidden states into one query vector. */
public enum Pooling {
    /** The first token's hidden state ([CLS]); what the paper uses with DeBERTa-v3. */
    CLS,
    /** The attention-masked mean over tokens; what sentence-transformers models (MiniLM, bge) expect. */
    MEAN
}
