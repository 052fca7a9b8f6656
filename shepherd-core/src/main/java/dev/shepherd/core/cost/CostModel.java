package dev.shepherd.core.cost;

import dev.shepherd.core.model.ModelRole;
import java.util.Objects;

/**
 * Prices the calls a request makes. The built-in model is per token and per side
 * ({@link #perToken(TokenPrices, TokenPrices)}); implement this interface for tiered or cached
 * pricing. Implementations are thread-safe and side-effect free.
 */
public interface CostModel {

    /** Dollars for one call of the given side. */
    double cost(ModelRole role, long inputTokens, long outputTokens);

    /** The prices used for one side (for worst-case spend reservations). */
    TokenPrices prices(ModelRole role);

    /**
     * The paper's cost of shepherding one query with an {@code n}-token hint:
     * {@code c_shep(q,n) = |q|·c_in_l + n·c_out_l + (|q|+n)·c_in_s + |h_s|·c_out_s}.
     *
     * @param queryTokens    |q|
     * @param hintTokens     n
     * @param smallOutTokens |h_s^(n)(q)|, the small model's answer length
     */
    default double shepherdingCost(long queryTokens, long hintTokens, long smallOutTokens) {
        return cost(ModelRole.LARGE, queryTokens, hintTokens)
                + cost(ModelRole.SMALL, queryTokens + hintTokens, smallOutTokens);
    }

    /** Per-token prices for each side. */
    static CostModel perToken(TokenPrices small, TokenPrices large) {
        Objects.requireNonNull(small, "small");
        Objects.requireNonNull(large, "large");
        return new CostModel() {
            @Override
            public double cost(ModelRole role, long inputTokens, long outputTokens) {
                return prices(role).cost(inputTokens, outputTokens);
            }

            @Override
            public TokenPrices prices(ModelRole role) {
                return role == ModelRole.SMALL ? small : large;
            }

            @Override
            public String toString() {
                return "CostModel[small=" + small + ", large=" + large + "]";
            }
        };
    }

    /** A free local small model and a paid large one: the paper's setting. */
    static CostModel localSmall(TokenPrices large) {
        return perToken(TokenPrices.free(), large);
    }
}
