package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.model.ModelRole;

import dev.shepherd.core.model.ModelRole;
import java.util.Objects;

/**
 * The resolved live configuration: both models and their prices.
 *
 * @param small the small model
 * @param large the large model
 * @param prices token prices
 * @param ggufContext context window of in-process GGUF models, tokens
 * @param ggufMaxTokens output cap of in-process GGUF models when a request sets none
 * @param smallLogprobs ask an OpenAI-compatible small model for log-probabilities (top 5 per token); a server that
 *                    refuses them is warned about once and then called without
 */
public record ModelSetup(ModelSpec small, ModelSpec large, CostModel prices, int ggufContext, int ggufMaxTokens,
                         boolean smallLogprobs) {

    /**
     * Output cap of a call to a model over HTTP when the request sets none (core's {@code Shepherd} default for the
     * large model): it bounds every call, so a call's worst-case cost is known.
     */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    /**
     * The output cap of a call to the model of {@code role} that sets none: {@code --gguf-max-tokens} for an
     * in-process GGUF model, else {@value #DEFAULT_MAX_OUTPUT_TOKENS}.
     *
     * @param role the model
     * @return the cap, tokens
     */
    public int maxOutputTokens(ModelRole role) {
        ModelSpec spec = role == ModelRole.SMALL ? small : large;
        return spec.provider() == Provider.GGUF ? ggufMaxTokens : DEFAULT_MAX_OUTPUT_TOKENS;
    }

    /**
     * Checks that the API key variables the setup names are set, before anything is printed or called.
     *
     * @throws dev.shepherd.cli.InputException naming the option and the variable
     */
    public void checkKeys() {
        small.apiKey();
        large.apiKey();
    }

    /** A setup that asks the small model for log-probabilities. */
    public ModelSetup(ModelSpec small, ModelSpec large, CostModel prices, int ggufContext, int ggufMaxTokens) {
        this(small, large, prices, ggufContext, ggufMaxTokens, true);
    }

    /** Validates. */
    public ModelSetup {
        Objects.requireNonNull(small, "small");
        Objects.requireNonNull(large, "large");
        Objects.requireNonNull(prices, "prices");
        if (ggufContext < 16) {
            throw new InputException("--gguf-context", 0, null, "must be >= 16 but was " + ggufContext);
        }
        if (ggufMaxTokens < 1) {
            throw new InputException("--gguf-max-tokens", 0, null, "must be >= 1 but was " + ggufMaxTokens);
        }
    }
}
