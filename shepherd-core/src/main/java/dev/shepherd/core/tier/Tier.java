package dev.shepherd.core.tier;

import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.Generator;
import java.util.Objects;

/**
 * One rung of a {@link Tiers} ladder: a model with the name the ledger records and its prices.
 * Immutable (the generator is shared and must be thread-safe).
 *
 * @param name   the tier's name in the ledger and the response metadata, non-blank
 * @param model  the model
 * @param prices what a token of this model costs
 */
public record Tier(String name, Generator model, TokenPrices prices) {

    /** @throws IllegalArgumentException on a blank name; {@link NullPointerException} on a null argument */
    public Tier {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("tier name must not be blank");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prices, "prices");
    }

    /** A tier. */
    public static Tier of(String name, Generator model, TokenPrices prices) {
        return new Tier(name, model, prices);
    }

    @Override
    public String toString() {
        return "Tier[" + name + ", " + model.name() + ", " + prices + "]";
    }
}
