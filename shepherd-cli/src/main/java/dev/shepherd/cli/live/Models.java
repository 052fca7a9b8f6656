package dev.shepherd.cli.live;

import dev.langchain4j.model.chat.ChatModel;
import dev.shepherd.core.model.Generator;
import dev.shepherd.langchain4j.ChatModelGenerator;
import dev.shepherd.llamacpp.LlamaCppChatModel;

import dev.shepherd.core.model.ModelRole;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The live models of a run as shepherd {@link Generator}s (LangChain4j clients adapted by shepherd-langchain4j's
 * {@link ChatModelGenerator}); closes in-process models on {@link #close()}. An OpenAI-compatible small model is
 * asked for log-probabilities (top 5 per token, for the token-entropy feature) unless
 * {@link ModelSetup#smallLogprobs()} is off; a server that refuses them gets one warning and is then called without
 * ({@link LogprobsFallbackChatModel}). Every call is capped, checked against the optional {@link Budget} and fails
 * naming the model and its endpoint ({@link GuardedGenerator}). Ollama's LangChain4j client (1.18.1) exposes no log-probabilities and
 * in-process GGUF models return none, so their samples carry no token entropy.
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
        return open(setup, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    /**
     * Builds the clients of a setup, as {@link #open(ModelSetup)}, with the small model's one warning (a server that
     * refuses log-probabilities) going to {@code warnings}.
     *
     * @param setup the configuration
     * @param warnings where warnings go (the command's stderr)
     * @return the models
     */
    public static Models open(ModelSetup setup, PrintWriter warnings) {
        return open(setup, warnings, null);
    }

    /**
     * Builds the clients of a setup, as {@link #open(ModelSetup, PrintWriter)}, with every call checked against a
     * {@code --max-cost} budget.
     *
     * @param setup the configuration
     * @param warnings where warnings go (the command's stderr)
     * @param budget the run's budget, or {@code null} for none
     * @return the models
     */
    public static Models open(ModelSetup setup, PrintWriter warnings, Budget budget) {
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(warnings, "warnings");
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            Generator small = generator(setup.small(), setup, owned, warnings, budget);
            Generator large = generator(setup.large(), setup, owned, warnings, budget);
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

    private static Generator generator(ModelSpec spec, ModelSetup setup, List<AutoCloseable> owned,
                                       PrintWriter warnings, Budget budget) {
        ChatModel model = ChatModels.chat(spec, setup, owned, warnings);
        Generator g = ChatModelGenerator.builder().model(model).name(spec.displayName()).role(spec.role())
                .estimateMissingUsage(spec.provider() == Provider.GGUF).build();
        return new GuardedGenerator(g, spec.role(), spec.baseUrl() != null ? spec.baseUrl() : String.valueOf(spec.gguf()),
                setup.maxOutputTokens(spec.role()), budget);
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
