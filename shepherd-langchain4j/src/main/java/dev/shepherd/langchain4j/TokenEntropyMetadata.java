package dev.shepherd.langchain4j;

import java.util.List;

/**
 * Implemented by {@code ChatResponseMetadata} subclasses of chat models that know the per-token
 * entropy of what they generated (the in-process llama.cpp model does). {@link ChatModelGenerator}
 * reads it to feed reactive shepherding's entropy feature; for OpenAI-compatible servers it
 * computes the entropies from the returned top log-probabilities instead.
 */
public interface TokenEntropyMetadata {

    /** Entropy in nats of each generated token's distribution, one per output token. */
    List<Double> tokenEntropies();
}
