package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.cli.PriceOptions;
import dev.shepherd.core.model.ModelRole;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Model options of the live verbs, by flags or a config file ({@code --config FILE}, Java properties; a flag wins):
 * <pre>
 * slm.provider=gguf            # openai | ollama | gguf
 * slm.gguf=/models/small.gguf
 * llm.provider=openai
 * llm.base-url=https://api.groq.com/openai/v1
 * llm.model=llama-3.3-70b-versatile
 * llm.api-key-env=GROQ_API_KEY # the NAME of the variable; the key itself is never written anywhere
 * llm.price-in=0.59
 * llm.price-out=0.79
 * slm.logprobs=false           # as --no-slm-logprobs
 * </pre>
 *
 * <p>Not thread-safe (filled in by picocli).
 */
public final class ModelOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Model configuration (Java properties).")
    Path config;

    @Option(names = "--slm-provider", paramLabel = "PROVIDER", description = "SLM provider: openai, ollama, gguf.")
    String smallProvider;
    @Option(names = "--slm-base-url", paramLabel = "URL", description = "SLM endpoint (OpenAI-compatible /v1 or Ollama).")
    String smallBaseUrl;
    @Option(names = "--slm-model", paramLabel = "NAME", description = "SLM model name.")
    String smallModel;
    @Option(names = "--slm-api-key-env", paramLabel = "VAR", description = "Environment variable holding the SLM API key.")
    String smallKeyEnv;
    @Option(names = "--slm-gguf", paramLabel = "FILE", description = "GGUF file for an in-process SLM (implies gguf).")
    Path smallGguf;

    @Option(names = "--llm-provider", paramLabel = "PROVIDER", description = "LLM provider: openai, ollama, gguf.")
    String largeProvider;
    @Option(names = "--llm-base-url", paramLabel = "URL", description = "LLM endpoint (OpenAI-compatible /v1 or Ollama).")
    String largeBaseUrl;
    @Option(names = "--llm-model", paramLabel = "NAME", description = "LLM model name.")
    String largeModel;
    @Option(names = "--llm-api-key-env", paramLabel = "VAR", description = "Environment variable holding the LLM API key.")
    String largeKeyEnv;
    @Option(names = "--llm-gguf", paramLabel = "FILE", description = "GGUF file for an in-process LLM (implies gguf).")
    Path largeGguf;

    @Option(names = "--no-slm-logprobs", negatable = false, description = "Do not ask the SLM for log-probabilities. "
            + "By default an OpenAI-compatible SLM is asked for the top 5 per token (the token-entropy feature; a server "
            + "that refuses them gets one warning and is called without). Ollama (LangChain4j 1.18.1 client) and "
            + "in-process GGUF models return none either way: their entropy feature is the answers' entropy.")
    boolean noSmallLogprobs;

    @Option(names = "--gguf-context", paramLabel = "N", defaultValue = "2048", description = "Context window of in-process GGUF models "
            + "(default: ${DEFAULT-VALUE}).")
    int ggufContext;
    @Option(names = "--gguf-max-tokens", paramLabel = "N", defaultValue = "256", description = "Output cap of in-process GGUF models when "
            + "a request sets none (default: ${DEFAULT-VALUE}).")
    int ggufMaxTokens;

    @Mixin
    PriceOptions prices;

    /**
     * Resolves flags, config file and defaults into a validated setup.
     *
     * @return the setup
     * @throws InputException naming the option, config key or environment variable at fault
     */
    public ModelSetup resolve() {
        Properties p = load();
        String name = config == null ? "config" : config.toString();
        return new ModelSetup(spec(ModelRole.SMALL, p, smallProvider, smallBaseUrl, smallModel, smallKeyEnv, smallGguf),
                spec(ModelRole.LARGE, p, largeProvider, largeBaseUrl, largeModel, largeKeyEnv, largeGguf),
                prices.costModel(p, name), ggufContext, ggufMaxTokens, !noSmallLogprobs && logprobs(p));
    }

    /** Returns the price options. */
    public PriceOptions prices() {
        return prices;
    }

    /** Returns the config file's properties (empty without {@code --config}). */
    public Properties load() {
        Properties p = new Properties();
        if (config == null) {
            return p;
        }
        try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new InputException(config.toString(), 0, null, "config file not found");
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(config.toString(), 0, null, "cannot read config: " + e.getMessage());
        }
        for (String key : p.stringPropertyNames()) {
            if (!key.matches("(slm|llm)\\.(provider|base-url|model|api-key-env|gguf|price-in|price-out)|slm\\.logprobs")) {
                throw new InputException(config.toString(), 0, key, "unknown key; expected slm.* or llm.* with "
                        + "provider, base-url, model, api-key-env, gguf, price-in, price-out, or slm.logprobs");
            }
        }
        return p;
    }

    private boolean logprobs(Properties p) {
        String v = p.getProperty("slm.logprobs");
        if (v == null) {
            return true;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InputException(config.toString(), 0, "slm.logprobs", "must be true or false but was '"
                    + v + "'");
        };
    }

    private ModelSpec spec(ModelRole role, Properties p, String provider, String baseUrl, String model,
                           String keyEnv, Path gguf) {
        String r = role == ModelRole.SMALL ? "slm" : "llm";
        Path file = gguf != null ? gguf : (p.getProperty(r + ".gguf") == null ? null : Path.of(p.getProperty(r + ".gguf")));
        String prov = provider != null ? provider : p.getProperty(r + ".provider");
        if (prov == null) {
            if (file == null) {
                throw new InputException("--" + r + "-provider", 0, null, "no " + role.label() + " model configured: "
                        + "pass --" + r + "-provider (openai, ollama) with --" + r + "-base-url/--" + r
                        + "-model, --" + r + "-gguf FILE, or --config FILE");
            }
            prov = "gguf";
        }
        return new ModelSpec(role, Provider.parse("--" + r + "-provider", prov),
                baseUrl != null ? baseUrl : p.getProperty(r + ".base-url"),
                model != null ? model : p.getProperty(r + ".model"),
                keyEnv != null ? keyEnv : p.getProperty(r + ".api-key-env"), file);
    }
}
