package dev.shepherd.core.cost;

/**
 * One model's token prices in US dollars per million tokens. Immutable.
 *
 * @param inputPerMillion  price of a million prompt tokens, finite and ≥ 0
 * @param outputPerMillion price of a million generated tokens, finite and ≥ 0
 */
public record TokenPrices(double inputPerMillion, double outputPerMillion) {

    private static final TokenPrices FREE = new TokenPrices(0, 0);

    /**
     * Validates both prices.
     *
     * @throws IllegalArgumentException when a price is NaN, negative or infinite, naming it
     */
    public TokenPrices {
        check("inputPerMillion", inputPerMillion);
        check("outputPerMillion", outputPerMillion);
    }

    private static void check(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0 but was " + value);
        }
    }

    /** Prices in dollars per million input and output tokens. */
    public static TokenPrices perMillion(double input, double output) {
        return new TokenPrices(input, output);
    }

    /** A local model: tokens cost nothing. */
    public static TokenPrices free() {
        return FREE;
    }

    /** The paper's LLM, Llama-3.3-70B-Versatile via API: $0.59 / M input, $0.79 / M output. */
    public static TokenPrices paperLlama70b() {
        return new TokenPrices(0.59, 0.79);
    }

    /** Dollars for the given token counts. */
    public double cost(long inputTokens, long outputTokens) {
        return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
    }
}
