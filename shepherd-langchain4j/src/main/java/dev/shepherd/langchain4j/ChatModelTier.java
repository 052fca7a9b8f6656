package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.shepherd.core.cost.TokenPrices;
import java.util.Objects;

/**
 * One rung of a {@link ShepherdChatModel} ladder: a LangChain4j {@link ChatModel}, the tier name the
 * ledger and metadata record, and its prices. Immutable.
 *
 * @param name   the tier's name, non-blank and unique in the ladder
 * @param model  the model
 * @param prices what its tokens cost
 */
public record ChatModelTier(String name, ChatModel model, TokenPrices prices) {

    /** @throws IllegalArgumentException on a blank name */
    public ChatModelTier {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tier name must not be blank");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prices, "prices");
    }

    /** A tier. */
    public static ChatModelTier of(String name, ChatModel model, TokenPrices prices) {
        return new ChatModelTier(name, model, prices);
    }
}
