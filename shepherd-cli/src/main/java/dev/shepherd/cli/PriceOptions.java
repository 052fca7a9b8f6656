package dev.shepherd.cli;

import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import picocli.CommandLine.Option;

import java.util.Properties;

/**
 * Token price options shared by the verbs. A flag wins over the config file ({@code slm.price-in},
 * {@code slm.price-out}, {@code llm.price-in}, {@code llm.price-out}), which wins over the defaults: SLM free
 * (local), LLM at the paper's Llama-3.3-70B prices ($0.59 / M input, $0.79 / M output tokens, docs/method.md#defaults).
 *
 * <p>Not thread-safe (filled in by picocli).
 */
public final class PriceOptions {

    /** The paper's LLM input price, USD per million tokens. */
    public static final double PAPER_LARGE_IN = 0.59;
    /** The paper's LLM output price, USD per million tokens. */
    public static final double PAPER_LARGE_OUT = 0.79;

    @Option(names = "--slm-price-in", paramLabel = "USD", description = "SLM price per million input tokens (default: 0, local).")
    Double smallIn;

    @Option(names = "--slm-price-out", paramLabel = "USD", description = "SLM price per million output tokens (default: 0).")
    Double smallOut;

    @Option(names = "--llm-price-in", paramLabel = "USD", description = "LLM price per million input tokens "
            + "(default: 0.59, the paper's Llama-3.3-70B).")
    Double largeIn;

    @Option(names = "--llm-price-out", paramLabel = "USD", description = "LLM price per million output tokens "
            + "(default: 0.79, the paper's Llama-3.3-70B).")
    Double largeOut;

    /** Returns the cost model from flags and defaults only. */
    public CostModel costModel() {
        return costModel(new Properties(), "config");
    }

    /**
     * Returns the cost model.
     *
     * @param config the config file's properties (may be empty)
     * @param configName the config file's name, for messages
     * @return the prices as a per-token cost model
     * @throws InputException naming the option or key when a price is negative, not finite or not a number
     */
    public CostModel costModel(Properties config, String configName) {
        return CostModel.perToken(
                new TokenPrices(pick("--slm-price-in", smallIn, config, configName, "slm.price-in", 0),
                        pick("--slm-price-out", smallOut, config, configName, "slm.price-out", 0)),
                new TokenPrices(pick("--llm-price-in", largeIn, config, configName, "llm.price-in", PAPER_LARGE_IN),
                        pick("--llm-price-out", largeOut, config, configName, "llm.price-out", PAPER_LARGE_OUT)));
    }

    /** Returns true when neither flags nor config set the LLM prices (the paper's defaults apply). */
    public boolean paperDefaults(Properties config) {
        return largeIn == null && largeOut == null && !config.containsKey("llm.price-in") && !config.containsKey("llm.price-out");
    }

    private static double pick(String option, Double flag, Properties config, String configName, String key,
                               double fallback) {
        if (flag != null) {
            return check(option, null, flag);
        }
        String v = config.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return check(configName, key, Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
            throw new InputException(configName, 0, key, "not a number: '" + v + "'");
        }
    }

    private static double check(String source, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InputException(source, 0, field, "price must be a finite number >= 0 (USD per million tokens)"
                    + " but was " + value);
        }
        return value;
    }
}
