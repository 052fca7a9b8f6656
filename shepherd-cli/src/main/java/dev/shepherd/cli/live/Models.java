package dev.shepherd.cli.live;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.model.Generator;
import dev.shepherd.langchain4j.ChatModelGenerator;
import dev.shepherd.llamacpp.LlamaCppChatModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The live models of a run as shepherd {@link Generator}s (LangChain4j clients adapted by shepherd-langchain4j's
 * {@link ChatModelGenerator}); closes in-process models on {@link #close()}.
 *
 * <p>Thread-safe once built (the HTTP clients are); {@link #close()} is idempotent.
 */
public final class Models implements AutoCloseable {

    /** Per-request timeout of HTTP model clients. */
    public static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final ModelSetup setup;
    private final Generator small;
    private final Generator large;
    private final List<AutoCloseable> owned;

    private Models(ModelSetup setup, Generator small, Generator large, List<AutoCloseable> owned) {
        this.setup = setup;
        this.small = small;
        this.large = large;
        this.owned = owned;
    }

    /**
     * Builds the clients of a setup. API keys are read from their environment variables here and passed straight
     * to the client; they are never logged (client request logging stays off).
     *
     * @param setup the configuration
     * @return the models
     */
    public static Models open(ModelSetup setup) {
        Objects.requireNonNull(setup, "setup");
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            Generator small = generator(setup.slm(), setup, owned);
            Generator large = generator(setup.llm(), setup, owned);
            return new Models(setup, small, large, owned);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    /** Returns the small model. */
    public Generator small() {
        return small;
    }

    /** Returns the large model. */
    public Generator large() {
        return large;
    }

    /** Returns the configuration. */
    public ModelSetup setup() {
        return setup;
    }

    private static Generator generator(ModelSpec spec, ModelSetup setup, List<AutoCloseable> owned) {
        ChatModel model = switch (spec.provider()) {
            case OPENAI -> OpenAiChatModel.builder()
                    .baseUrl(spec.baseUrl())
                    .apiKey(spec.apiKey() != null ? spec.apiKey() : "unused")
                    .modelName(spec.model())
                    .timeout(TIMEOUT)
                    .maxRetries(1)
                    .build();
            case OLLAMA -> OllamaChatModel.builder()
                    .baseUrl(spec.baseUrl())
                    .modelName(spec.model())
                    .timeout(TIMEOUT)
                    .maxRetries(1)
                    .build();
            case GGUF -> Gguf.open(spec, setup, owned);
        };
        return ChatModelGenerator.builder().model(model).name(spec.displayName()).role(spec.role())
                .estimateMissingUsage(spec.provider() == Provider.GGUF).build();
    }

    @Override
    public void close() {
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a local model is best effort
            }
        }
        owned.clear();
    }

    /** In-process GGUF models (shepherd-llamacpp, CPU); the file is read, never downloaded. */
    static final class Gguf {
        private Gguf() {
        }

        static ChatModel open(ModelSpec spec, ModelSetup setup, List<AutoCloseable> owned) {
            LlamaCppChatModel model = LlamaCppChatModel.builder()
                    .modelPath(spec.gguf())
                    .threads(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())))
                    .contextSize(setup.ggufContext())
                    .maxOutputTokens(setup.ggufMaxTokens())
                    .seed(42) // reproducible sampling at T > 0
                    .build();
            owned.add(model);
            return model;
        }
    }
}
