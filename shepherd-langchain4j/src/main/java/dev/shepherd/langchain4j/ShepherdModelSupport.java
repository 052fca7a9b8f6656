package dev.shepherd.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.langchain4j.internal.PerRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What {@link ShepherdChatModel} and {@link ShepherdStreamingChatModel} share besides their
 * builders: the executor, the names, one request's run and response, and the answers to LangChain4j's
 * model questions. They implement two unrelated LangChain4j interfaces, so the sharing is by this
 * package-private superclass, whose public methods implement those interfaces' methods in both.
 * Immutable and thread-safe.
 */
abstract class ShepherdModelSupport {

    final Shepherd shepherd;
    private final String smallName;
    private final String largeName;
    private final Duration requestTimeout;
    private final List<ChatModelListener> listeners;
    private final ChatRequestParameters defaultRequestParameters;

    ShepherdModelSupport(ShepherdModelBuilder<?> b, Shepherd shepherd) {
        this.shepherd = shepherd;
        this.smallName = b.smallName;
        this.largeName = b.largeName;
        this.requestTimeout = b.requestTimeout;
        this.listeners = b.listeners;
        this.defaultRequestParameters = b.defaultRequestParameters;
    }

    /**
     * Runs the policy for one parsed request through an executor derived for it: the request-scoped
     * policy, the request deadline and, when given, this request's own small generator.
     *
     * @param listener notified around the small model's answer call, or {@code null}
     * @param small    this request's small generator, or {@code null} for the shared one
     */
    final ShepherdResult answer(ParsedChatRequest parsed, RequestScopedPolicy.AnswerListener listener,
                                Generator small) {
        ShepherdingPolicy scoped = new RequestScopedPolicy(shepherd.policy(), parsed, listener);
        return PerRequest.shepherd(shepherd, scoped, small, requestTimeout).answer(parsed.query());
    }

    /** The LangChain4j response of one request's result. */
    /**
     * As {@link #answer(ParsedChatRequest, RequestScopedPolicy.AnswerListener, Generator)}, with the request-scoped
     * policy wrapped ({@code wrap}: what streams, and how a failed stream continues) and this request's large
     * generator too ({@code null}: the shared one).
     */
    final ShepherdResult answer(ParsedChatRequest parsed, UnaryOperator<ShepherdingPolicy> wrap, Generator small,
                                Generator large) {
        return answer(parsed, wrap, small, large, List.of());
    }

    /** As above, with this request's generators of a ladder's middle tiers too (empty: the shared ones). */
    final ShepherdResult answer(ParsedChatRequest parsed, UnaryOperator<ShepherdingPolicy> wrap, Generator small,
                                Generator large, List<? extends Generator> middle) {
        ShepherdingPolicy scoped = wrap.apply(new RequestScopedPolicy(shepherd.policy(), parsed, null));
        return PerRequest.shepherd(shepherd, scoped, small, large, middle, requestTimeout).answer(parsed.query());
    }

    final ChatResponse toChatResponse(ShepherdResult result) {
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

    /** The defaults LangChain4j merges into every request; none unless the builder set some. */
    public ChatRequestParameters defaultRequestParameters() {
        return defaultRequestParameters;
    }

    /** Listeners of this model's own requests and responses (the inner models keep theirs). */
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    /** {@link ModelProvider#OTHER}: the answer may come from either model. */
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /**
     * None: JSON-schema responses and tools are not shepherded (the chat model routes such requests
     * unchanged to one tier, so they still work, but the decorator does not claim the capability).
     */
    public Set<Capability> supportedCapabilities() {
        return Set.of();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[policy=" + shepherd.policy().name() + ", small=" + smallName
                + ", large=" + largeName + "]";
    }
}
