package dev.shepherd.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 * {@code spend-cap}; in {@link FailureMode#STRICT} a
 * {@link ModelCallException} or {@link SpendLimitExceededException}
 * is thrown. A failing small model throws {@link ModelCallException}, unless
 * {@link Builder#smallFailure} hands the query to the large model; a failed sample among K is dropped.
 * The decorator retries only with a {@link Builder#retryPolicy} (none by default); then build the inner
 * clients with {@code maxRetries(0)} and {@link RetryAfterHeaders#httpClientBuilder()}, otherwise keep
 * their {@code maxRetries} low (0 or 1), since a failure already falls back. Timeouts: the inner clients'
 * {@code timeout(...)} bounds each call, {@link Builder#requestTimeout(Duration)} bounds when large-model
 * calls and retries may start.
 *
 * <p>{@link #provider()} is {@link ModelProvider#OTHER}; {@link #supportedCapabilities()} is empty
 * (no JSON-schema responses). Immutable and thread-safe: one instance serves concurrent callers.
 */
public final class ShepherdChatModel extends ShepherdModelSupport implements ChatModel {

    private ShepherdChatModel(Builder b, Shepherd shepherd) {
        super(b, shepherd);
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
     * @throws ModelCallException when the small model fails, or the large one in strict mode
     * @throws SpendLimitExceededException in strict mode, when the spend cap refuses a call
     */
    @Override
    public ChatResponse doChat(ChatRequest request) {
        return toChatResponse(answer(ParsedChatRequest.parse(request), null, null));
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
            ChatModelGenerator smallGenerator = null;
            if (small != null) {
                if (smallName == null) {
                    smallName = ChatModelGenerator.defaultName(small);
                }
                smallGenerator = ChatModelGenerator.builder().model(small).name(smallName)
                        .role(ModelRole.SMALL).estimateMissingUsage(estimateMissingSmallUsage).build();
            }
            return new ShepherdChatModel(this, shepherd(smallGenerator));
        }
    }
}
