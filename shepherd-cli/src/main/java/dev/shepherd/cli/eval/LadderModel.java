package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.TokenPrices;
import java.util.Objects;

/**
 * One model of an N-model replay, as the report states it.
 *
 * @param name the model's name in the trace
 * @param prices its prices
 * @param pricesFrom where the prices came from ({@code --price}, the config file, a default), for the report
 * @param tokensCounted how many of its responses and samples had no recorded token counts and were counted with
 *                      the tokenizer (0: all recorded)
 */
public record LadderModel(String name, TokenPrices prices, String pricesFrom, int tokensCounted) {

    /** Validates. */
    public LadderModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(pricesFrom, "pricesFrom");
        if (tokensCounted < 0) {
            throw new IllegalArgumentException("tokensCounted must be >= 0 but was " + tokensCounted);
        }
    }
}
