package dev.shepherd.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.Shepherd;
import dev.shepherd.core.ShepherdResult;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.langchain4j.internal.ParsedChatRequest;
import dev.shepherd.langchain4j.internal.PerRequest;
import dev.shepherd.langchain4j.internal.RequestScopedPolicy;
import dev.shepherd.langchain4j.internal.Responses;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that shepherds: every {@code chat(...)} runs the configured
 * {@link ShepherdingPolicy} over a small and a large LangChain4j model through shepherd's
 * {@link Shepherd} executor, which prices every call, keeps the spend cap and writes one ledger
 * entry per request. A thin adapter, not a second engine.
 *
 * <pre>{@code
 * ChatModel model = ShepherdChatModel.builder()
 *         .small(ollama).large(openAi)
 *         .policy(ReactiveShepherding.builder().predictor(predictor).build())
 *         .costModel(CostModel.localSmall(TokenPrices.perMillion(0.15, 0.60)))
 *         .build();
 * String answer = model.chat("What is 17 * 23?");
 * }</pre>
 *
 * <h2>Requests</h2>
 * The last message must be a {@code UserMessage}: its text is the question; every earlier system,
 * user or AI message is the question's context and is sent unchanged before it. The caller's
 * {@code maxOutputTokens}, temperature, top-p and stop sequences shape the answer calls (not the
 * reactive samples, not the hint); a {@code maxOutputTokens} smaller than the hint the policy
 * chooses fails with {@link InvalidChatRequestException} before the hint is bought. Tool
 * specifications, JSON response formats, a model name, top-k and penalties are rejected with
 * {@link InvalidChatRequestException}; so are requests without a user message or with a message
 * after the last user message.
 *
 * <h2>Responses</h2>
 * The answer's text; {@code TokenUsage} summed over every call made (samples, hint, answer);
 * {@link ShepherdChatResponseMetadata} with the decision, the hint, each side's usage, the cost,
 * every call and the notes. Listeners registered with {@link Builder#listeners(List)} fire through
 * {@link ChatModel#chat(ChatRequest)}; the inner models' own listeners fire for each inner call.
 *
 * <h2>Failures</h2>
 * Large model down (error, 429, 5xx, malformed response, timeout) or spend cap reached: by default
 * the small model's answer is returned and the metadata notes say {@code llm-unavailable} or
 * {@code spend-cap}; in {@link dev.shepherd.core.FailureMode#STRICT} a
 * {@link dev.shepherd.core.ModelCallException} or {@link dev.shepherd.core.SpendLimitExceededException}
 * is thrown. A failing small model always throws {@link dev.shepherd.core.ModelCallException}. The
 * decorator never retries: configure the inner clients' {@code maxRetries} low (0 or 1), since a
 * failure already falls back. Timeouts: the inner clients' {@code timeout(...)} bounds each call,
 * {@link Builder#requestTimeout(Duration)} bounds when calls may start.
 *
 * <p>{@link #provider()} is {@link ModelProvider#OTHER}; {@link #supportedCapabilities()} is empty
 * (no JSON-schema responses). Immutable and thread-safe: one instance serves concurrent callers.
 */
public final class ShepherdChatModel implements ChatModel {

    private final Shepherd shepherd;
    private final String smallName;
    private final String largeName;
    private final Duration requestTimeout;
    private final List<ChatModelListener> listeners;
    private final ChatRequestParameters defaultRequestParameters;

    private ShepherdChatModel(Builder b, Shepherd shepherd) {
        this.shepherd = shepherd;
        this.smallName = b.smallName;
        this.largeName = b.largeName;
        this.requestTimeout = b.requestTimeout;
        this.listeners = b.listeners;
        this.defaultRequestParameters = b.defaultRequestParameters;
    }

    /** A builder; small, large, policy and costModel are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the policy for one request; {@link ChatModel#chat(ChatRequest)} calls this after merging
     * {@link #defaultRequestParameters()} and notifying listeners.
     *
     * @throws InvalidChatRequestException when the request cannot be shepherded (see class Javadoc)
     * @throws dev.shepherd.core.ModelCallException when the small model fails, or the large one in strict mode
     * @throws dev.shepherd.core.SpendLimitExceededException in strict mode, when the spend cap refuses a call
     */
    @Override
    public ChatResponse doChat(ChatRequest request) {
        ParsedChatRequest parsed = ParsedChatRequest.parse(request);
        ShepherdingPolicy scoped = new RequestScopedPolicy(shepherd.policy(), parsed, null);
        ShepherdResult result = PerRequest.shepherd(shepherd, scoped, null, requestTimeout)
                .answer(parsed.query());
        return Responses.toChatResponse(result, shepherd.policy().name(), smallName, largeName);
    }

    /** The ledger every request is recorded in. */
    public CostLedger ledger() {
        return shepherd.ledger();
    }

    /** The policy run for every request. */
    public ShepherdingPolicy policy() {
        return shepherd.policy();
    }

    /** The small model's name as ledger and metadata report it. */
    public String smallName() {
        return smallName;
    }

    /** The large model's name as ledger and metadata report it. */
    public String largeName() {
        return largeName;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return defaultRequestParameters;
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of();
    }

    @Override
    public String toString() {
        return "ShepherdChatModel[policy=" + shepherd.policy().name() + ", small=" + smallName + ", large=" + largeName + "]";
    }

    /** Fail-fast builder; {@link #small(ChatModel)}, large, policy and costModel are required. Not thread-safe. */
    public static final class Builder extends ShepherdModelBuilder<Builder> {
        private ChatModel small;

        private Builder() {
        }

        /** The small (local, cheap) model. Required. */
        public Builder small(ChatModel small) {
            this.small = Objects.requireNonNull(small, "small");
            return this;
        }

        /** @throws IllegalStateException when small, large, policy or costModel is missing */
        public ShepherdChatModel build() {
            checkRequired(small);
            if (smallName == null) {
                smallName = ChatModelGenerator.defaultName(small);
            }
            ChatModelGenerator smallGenerator = ChatModelGenerator.builder().model(small).name(smallName)
                    .role(ModelRole.SMALL).estimateMissingUsage(estimateMissingSmallUsage).build();
            Shepherd shepherd = shepherd(smallGenerator);
            return new ShepherdChatModel(this, shepherd);
        }
    }
}
