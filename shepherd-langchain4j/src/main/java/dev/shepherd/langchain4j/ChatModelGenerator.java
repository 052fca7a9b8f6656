package dev.shepherd.langchain4j;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.langchain4j.internal.ModelErrors;
import dev.shepherd.langchain4j.internal.RetryAfterRecorder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Adapts any LangChain4j {@link ChatModel} to shepherd's {@link Generator} port.
 *
 * <h2>Request mapping</h2>
 * Messages map role for role (SYSTEM → {@code SystemMessage}, USER → {@code UserMessage},
 * ASSISTANT → {@code AiMessage}); {@code maxOutputTokens}, temperature, top-p and stop sequences
 * go into the {@code ChatRequest}'s parameters. An {@code assistantPrefix} is appended as a final
 * {@code AiMessage} that the backend should continue (llama.cpp's and vLLM's OpenAI-compatible
 * servers do, as does the in-process llama.cpp model); a backend that does not continue a
 * prefilled assistant message treats it as history and answers anew, so use
 * {@link HintPlacement#CONTINUATION} only with backends that continue.
 * The call goes through {@link ChatModel#chat(ChatRequest)}, so the wrapped model's defaults and
 * listeners apply. Per-request log-probabilities cannot be switched on through LangChain4j's
 * provider-neutral API: enable them on the client ({@code OpenAiChatModel.builder().logprobs(true)
 * .topLogprobs(5)}).
 *
 * <h2>Response mapping</h2>
 * Text, finish reason (LENGTH and STOP map to themselves, anything else to OTHER) and token usage.
 * Token entropies come from {@link TokenEntropyMetadata} when the response metadata implements it,
 * else from OpenAI top log-probabilities when {@code langchain4j-open-ai} is on the class path and
 * the response carries them, else there are none (reactive shepherding then falls back to
 * answer-level entropy and says so).
 *
 * <p><b>Missing token usage fails the call by default</b>: every call is priced and charged to
 * the spend cap from the reported usage, and silently pricing a paid model at zero would defeat
 * the cap. {@link Builder#estimateMissingUsage(boolean)} estimates instead (one token per four
 * UTF-8 bytes), which suits a free local small model that does not count.
 *
 * <h2>Errors</h2>
 * Empty text, a missing response and missing usage fail; so does any client exception, described
 * by kind (rate limited, model not found, timed out, server error, ...). With a {@link ModelRole}
 * ({@link #of(ChatModel, String, ModelRole)}) failures are {@link ModelCallException}s naming the
 * role and the model. Without one ({@link #of(ChatModel, String)}) failures are
 * {@link LangChain4jException}s naming the model, which {@link Shepherd} wraps
 * into a {@code ModelCallException} of the side it uses the generator for. A role's
 * {@code ModelCallException} is classified ({@link ModelCallException#kind()}: rate limited, server
 * error, timeout, network, malformed response, request error) and carries the backend's
 * {@code Retry-After} when the model was built with {@link RetryAfterHeaders#httpClientBuilder()}, so the
 * executor's {@link dev.shepherd.core.run.RetryPolicy} can decide. The generator itself never retries:
 * the executor does, with its policy; keep the clients' own {@code maxRetries} at 0 when it retries.
 *
 * <p>Immutable and thread-safe when the wrapped model is (LangChain4j's HTTP models are).
 */
public final class ChatModelGenerator implements Generator {

    private final ChatModel model;
    private final String name;
    private final ModelRole role;
    private final boolean estimateMissingUsage;

    private ChatModelGenerator(Builder b) {
        this.model = b.model;
        this.name = b.name;
        this.role = b.role;
        this.estimateMissingUsage = b.estimateMissingUsage;
    }

    /** A generator for {@code model}, reported as {@code name}, whose side is decided by the executor. */
    public static ChatModelGenerator of(ChatModel model, String name) {
        return builder().model(model).name(name).build();
    }

    /** A generator for {@code model} on a known side: failures are {@link ModelCallException}s of that role. */
    public static ChatModelGenerator of(ChatModel model, String name, ModelRole role) {
        return builder().model(model).name(name).role(role).build();
    }

    /** A builder; the model is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A default name for a model: the provider in lower case and the default model name, e.g.
     * {@code "ollama:llama3.2:3b"}; the class name when the model reports neither.
     */
    public static String defaultName(ChatModel model) {
        Objects.requireNonNull(model, "model");
        return defaultName(model.provider(), model.defaultRequestParameters(), model.getClass());
    }

    /** As {@link #defaultName(ChatModel)}, from a model's provider, default parameters and class. */
    static String defaultName(ModelProvider providerOrNull, ChatRequestParameters defaults, Class<?> type) {
        String modelName = defaults == null ? null : defaults.modelName();
        String provider = providerOrNull == null ? "other" : providerOrNull.name().toLowerCase(Locale.ROOT);
        if (modelName == null || modelName.isBlank()) {
            return provider.equals("other") ? type.getSimpleName() : provider;
        }
        return provider.equals("other") ? modelName : provider + ":" + modelName;
    }

    @Override
    public String name() {
        return name;
    }

    /** The wrapped model. */
    public ChatModel model() {
        return model;
    }

    /** The side this generator reports failures for, or {@code null} when the executor decides. */
    public ModelRole role() {
        return role;
    }

    @Override
    public Completion generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        ChatRequest chatRequest = Conversions.toChatRequest(request);
        ChatResponse response;
        RetryAfterRecorder.clear();
        try {
            response = model.chat(chatRequest);
        } catch (RuntimeException e) {
            throw failure(ModelErrors.describe(e), e, RetryAfterRecorder.take());
        }
        return Conversions.toCompletion(request, response, estimateMissingUsage, this::failure);
    }

    private RuntimeException failure(String detail, Throwable cause) {
        return failure(detail, cause, null);
    }

    private RuntimeException failure(String detail, Throwable cause, Duration retryAfter) {
        if (role != null) {
            return ModelErrors.failure(role, name, detail, cause, retryAfter);
        }
        return new LangChain4jException("model '" + name + "' failed: " + detail, cause);
    }

    @Override
    public String toString() {
        return "ChatModelGenerator[" + name + (role == null ? "" : ", " + role.label()) + "]";
    }

    /** Fail-fast builder. Not thread-safe; the built generator is. */
    public static final class Builder {
        private ChatModel model;
        private String name;
        private ModelRole role;
        private boolean estimateMissingUsage;

        private Builder() {
        }

        /** The model to adapt. Required. */
        public Builder model(ChatModel model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The name in logs, ledger and errors; {@link #defaultName(ChatModel)} when unset. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be null or blank but was "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            this.name = name;
            return this;
        }

        /** The side whose {@link ModelCallException}s this generator throws; none by default. */
        public Builder role(ModelRole role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Estimate token counts a backend does not report instead of failing; {@code false} by default. */
        public Builder estimateMissingUsage(boolean estimate) {
            this.estimateMissingUsage = estimate;
            return this;
        }

        /** @throws IllegalStateException when the model is missing */
        public ChatModelGenerator build() {
            if (model == null) {
                throw new IllegalStateException("model is required: call model(...)");
            }
            if (name == null) {
                name = defaultName(model);
            }
            return new ChatModelGenerator(this);
        }
    }
}
