package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.shepherd.core.cost.TokenPrices;
import java.util.Objects;

/**
 * One rung of a {@link ShepherdStreamingChatModel} ladder: a LangChain4j {@link StreamingChatModel},
 * the tier name the ledger and metadata record, and its prices. The streaming twin of
 * {@link ChatModelTier}. Immutable.
 *
 * @param name   the tier's name, non-blank and unique in the ladder
 * @param model  the model
 * @param prices what its tokens cost
 */
public record StreamingChatModelTier(String name, StreamingChatModel model, TokenPrices prices) {

    /** @throws IllegalArgumentException on a blank name */
    public StreamingChatModelTier {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tier name must not be blank");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prices, "prices");
    }

    /** A tier. */
    public static StreamingChatModelTier of(String name, StreamingChatModel model, TokenPrices prices) {
        return new StreamingChatModelTier(name, model, prices);
    }
}
