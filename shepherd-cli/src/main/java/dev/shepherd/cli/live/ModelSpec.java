package dev.shepherd.cli.live;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.model.ModelRole;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach one model. The API key is never held here: only the name of the environment variable that holds it,
 * read when the client is built, so neither {@link #toString()} nor any log can show it.
 *
 * @param role the model's role
 * @param provider where it runs
 * @param baseUrl the endpoint (OpenAI-compatible or Ollama); {@code null} for GGUF
 * @param model the model name (the GGUF file name for GGUF)
 * @param apiKeyEnv the environment variable holding the API key, or {@code null}
 * @param gguf the GGUF file for {@link Provider#GGUF}, else {@code null}
 */
public record ModelSpec(ModelRole role, Provider provider, String baseUrl, String model, String apiKeyEnv, Path gguf) {

    /** Validates the combination of fields, naming the offending option. */
    public ModelSpec {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(provider, "provider");
        String p = "--" + (role == ModelRole.SMALL ? "slm" : "llm");
        if (provider == Provider.GGUF) {
            if (gguf == null) {
                throw new InputException(p + "-gguf", 0, null, "a GGUF file is required for provider gguf");
            }
            if (!Files.isRegularFile(gguf)) {
                throw new InputException(gguf.toString(), 0, p + "-gguf", "GGUF model file not found");
            }
            model = model != null ? model : gguf.getFileName().toString();
        } else {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new InputException(p + "-base-url", 0, null, "a base URL is required for provider "
                        + provider.name().toLowerCase(Locale.ROOT));
            }
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new InputException(p + "-base-url", 0, null, "not a URL: '" + baseUrl + "'");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new InputException(p + "-base-url", 0, null, "expected an http(s) URL but was '" + baseUrl + "'");
            }
            if (model == null || model.isBlank()) {
                throw new InputException(p + "-model", 0, null, "a model name is required");
            }
        }
    }

    /**
     * Reads the API key from the environment.
     *
     * @return the key, or {@code null} when no variable is configured
     * @throws InputException naming the variable when it is configured but unset or empty
     */
    public String apiKey() {
        if (apiKeyEnv == null) {
            return null;
        }
        String v = System.getenv(apiKeyEnv);
        if (v == null || v.isBlank()) {
            String p = "--" + (role == ModelRole.SMALL ? "slm" : "llm") + "-api-key-env";
            throw new InputException(p, 0, null, "environment variable " + apiKeyEnv + " is not set (it should hold the "
                    + role.label() + " model's API key)");
        }
        return v;
    }

    /** Returns a display name: {@code provider:model}. */
    public String displayName() {
        return provider.name().toLowerCase(Locale.ROOT) + ":" + model;
    }

    @Override
    public String toString() {
        return "ModelSpec[" + role.label() + " " + displayName() + (baseUrl != null ? " at " + baseUrl : "")
                + (apiKeyEnv != null ? ", key from $" + apiKeyEnv : "") + "]";
    }
}
