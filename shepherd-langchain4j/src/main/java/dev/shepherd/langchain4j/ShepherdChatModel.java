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
import dev.shepherd.core.tier.Tiers;
import java.time.Duration;
import java.util.ArrayList;
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
 * chooses fails with {@link InvalidChatRequestException} before the hint is bought. A model name,
 * top-k and penalties are rejected with {@link InvalidChatRequestException}; so are requests without
 * a user message or with a message after the last user message.
 *
 * <h2>Requests that cannot be shepherded</h2>
 * Tool specifications or tool messages, a JSON response format and non-text content (images) are
 * not refused: the request goes unchanged to one tier ({@link Builder#routeUnsupportedTo(String)}; by
 * default the top, or the bottom when its model declares the one capability the request needs), is
 * priced, capped and written as one ledger entry (policy {@code routed-unchanged}, note
 * {@code routed-unchanged: <why>}), and its response — tool calls included — is returned as the tier
 * gave it. So AI Services with tools work behind the decorator.
 *
 * <h2>Ladders</h2>
 * {@link Builder#tiers(ChatModelTier...)} runs 2..N models, cheapest first, instead of a pair; the
 * metadata and the ledger name the tier of every call and of the answer.
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

    /** The LangChain4j model of each tier of {@code shepherd.tiers()}, cheapest first. */
    private final List<ChatModel> models;
    /** The tier requests that cannot be shepherded go to, or {@code null}: see {@link RoutedRequests#target}. */
    private final String routeTo;
    private final boolean estimateMissingSmallUsage;

    private ShepherdChatModel(Builder b, Shepherd shepherd, List<ChatModel> models) {
        super(b, shepherd);
        this.models = List.copyOf(models);
        this.routeTo = b.routeTo;
        this.estimateMissingSmallUsage = b.estimateMissingSmallUsage;
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
        Objects.requireNonNull(request, "chatRequest");
        List<String> reasons = request.messages() == null ? List.of() : RoutedRequests.reasons(request);
        if (!reasons.isEmpty()) {
            // Tools, JSON formats and images go unchanged to one tier instead of being refused, so
            // AI Services with @Tools work behind the decorator; still priced, capped and in the ledger.
            int tier = RoutedRequests.target(request, shepherd.tiers(), models, routeTo);
            return RoutedRequests.run(shepherd, models, tier, request, reasons, estimateMissingSmallUsage && tier == 0);
        }
        return toChatResponse(answer(ParsedChatRequest.parse(request), null, null));
    }

    /** The ladder every request runs on, cheapest first (the pair {@code "small"}, {@code "large"} without tiers). */
    public Tiers tiers() {
        return shepherd.tiers();
    }

    /** Fail-fast builder; {@link #small(ChatModel)}, large, policy and costModel are required. Not thread-safe. */
    public static final class Builder extends ShepherdModelBuilder<Builder> {
        private ChatModel small;
        private List<ChatModelTier> tiers;
        private String routeTo;

        private Builder() {
        }

        /**
         * A ladder of 2..N models, cheapest first, instead of {@link #small}/{@link #large}: the bottom
         * is the small model, the top the large one, and tier-aware policies
         * ({@code TierCascade}, {@code TierRouting}, {@code TierShepherding}) use the ones between.
         * Each tier brings its prices, so {@code costModel(...)} is not set; the ledger and the
         * metadata name the tier of every call ({@link ShepherdChatResponseMetadata#answeredByTier()}).
         *
         * @throws IllegalArgumentException with fewer than two tiers or a repeated name
         */
        public Builder tiers(ChatModelTier... tiers) {
            this.tiers = ladder(tiers);
            return this;
        }

        /**
         * The tier (by name: {@code "small"}/{@code "large"} without a ladder) that requests shepherding
         * cannot handle — tool specifications or tool messages, a JSON response format, images — are
         * sent to unchanged, with their ledger entry and the note {@code "routed-unchanged: <why>"}.
         * By default the top tier, or the bottom one when the request needs only a capability its
         * model declares in {@code supportedCapabilities()} (a JSON schema).
         */
        public Builder routeUnsupportedTo(String tier) {
            if (tier == null || tier.isBlank()) {
                throw new IllegalArgumentException("routeUnsupportedTo must name a tier but was "
                        + (tier == null ? "null" : "'" + tier + "'"));
            }
            this.routeTo = tier;
            return this;
        }

        /** The small (local, cheap) model. Required. */
        public Builder small(ChatModel small) {
            this.small = Objects.requireNonNull(small, "small");
            return this;
        }

        /**
         * @throws IllegalStateException when small, large, policy or costModel is missing, when
         *         tiers are mixed with small/large or costModel, or routeUnsupportedTo names no tier
         */
        public ShepherdChatModel build() {
            ShepherdChatModel built = tiers != null ? buildLadder() : buildPair();
            if (routeTo != null && built.tiers().indexOf(routeTo) < 0) {
                throw new IllegalStateException("routeUnsupportedTo names no tier: '" + routeTo + "' is not one of "
                        + built.tiers().all().stream().map(t -> t.name()).toList());
            }
            return built;
        }

        private ShepherdChatModel buildLadder() {
            requireLadderAlone(small != null);
            Tiers.Builder ladder = Tiers.builder();
            List<ChatModel> models = new ArrayList<>(tiers.size());
            for (int i = 0; i < tiers.size(); i++) {
                ChatModelTier t = tiers.get(i);
                boolean bottom = i == 0;
                boolean top = i == tiers.size() - 1;
                String name = bottom && smallName != null ? smallName : top && largeName != null ? largeName
                        : ChatModelGenerator.defaultName(t.model());
                ladder.tier(t.name(), ChatModelGenerator.builder().model(t.model()).name(name).role(Tiers.roleOf(i))
                        .estimateMissingUsage(bottom && estimateMissingSmallUsage).build(), t.prices());
                models.add(t.model());
            }
            Tiers built = ladder.build();
            smallName = built.bottom().model().name();
            largeName = built.top().model().name();
            settings.tiers(built);
            return new ShepherdChatModel(this, settings.build(), models);
        }

        private ShepherdChatModel buildPair() {
            ChatModelGenerator smallGenerator = null;
            if (small != null) {
                if (smallName == null) {
                    smallName = ChatModelGenerator.defaultName(small);
                }
                smallGenerator = ChatModelGenerator.builder().model(small).name(smallName)
                        .role(ModelRole.SMALL).estimateMissingUsage(estimateMissingSmallUsage).build();
            }
            Shepherd shepherd = shepherd(smallGenerator);
            return new ShepherdChatModel(this, shepherd, List.of(small, large));
        }
    }
}
