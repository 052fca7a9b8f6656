package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.RetryPolicy;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.SmallFailureMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings {@link ShepherdChatModel} and {@link ShepherdStreamingChatModel} share: the large
 * model, the policy and everything the {@link Shepherd} executor takes. The executor's settings go
 * straight into a {@link Shepherd.Builder}, so their defaults and checks are {@link Shepherd}'s,
 * stated once there; only the ledger's default differs (see {@link #ledger(CostLedger)}). Each
 * setter validates at once and names the field. Not thread-safe; the built models are.
 *
 * @param <B> the concrete builder
 */
public abstract class ShepherdModelBuilder<B extends ShepherdModelBuilder<B>> {

    /** The executor's settings; a long-running decorator keeps constant-memory totals by default. */
    final Shepherd.Builder settings = Shepherd.builder().ledger(CostLedger.totalsOnly());
    ChatModel large;
    String smallName;
    String largeName;
    Duration requestTimeout;
    List<ChatModelListener> listeners = List.of();
    ChatRequestParameters defaultRequestParameters = DefaultChatRequestParameters.EMPTY;
    boolean estimateMissingSmallUsage;
    /** Whether {@link #costModel} was called: a ladder brings its own prices, so the two conflict. */
    boolean costModelSet;

    ShepherdModelBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The large (remote, paid) model; its failures count as "large model unavailable". Required. */
    public B large(ChatModel large) {
        this.large = Objects.requireNonNull(large, "large");
        return self();
    }

    /** The small model's name in ledger, metadata and errors; derived from the model by default. */
    public B smallName(String name) {
        this.smallName = checkName("smallName", name);
        return self();
    }

    /** The large model's name in ledger, metadata and errors; derived from the model by default. */
    public B largeName(String name) {
        this.largeName = checkName("largeName", name);
        return self();
    }

    /** The strategy run for every request. Required. See {@link Shepherd.Builder#policy}. */
    public B policy(ShepherdingPolicy policy) {
        settings.policy(policy);
        return self();
    }

    /** Prices of each side, for the ledger and the spend cap. Required. See {@link Shepherd.Builder#costModel}. */
    public B costModel(CostModel costModel) {
        settings.costModel(costModel);
        costModelSet = true;
        return self();
    }

    /**
     * Where each request's entry goes. By default {@link CostLedger#totalsOnly()} (constant memory,
     * as a long-running service needs), unlike {@link Shepherd}; pass {@link CostLedger#create()} to
     * keep every entry.
     */
    public B ledger(CostLedger ledger) {
        settings.ledger(ledger);
        return self();
    }

    /** The prompt; see {@link Shepherd.Builder#template} (the user's text unchanged unless a hint is added). */
    public B template(PromptTemplate template) {
        settings.template(template);
        return self();
    }

    /** How final answers of samples are compared; see {@link Shepherd.Builder#extractor}. */
    public B extractor(AnswerExtractor extractor) {
        settings.extractor(extractor);
        return self();
    }

    /** Sampling of answers and samples; see {@link Shepherd.Builder#sampling}. */
    public B sampling(Sampling sampling) {
        settings.sampling(sampling);
        return self();
    }

    /**
     * How a hint reaches the small model: {@link HintPlacement#PROMPT} (the paper's {@code Hint:} line,
     * the default) or {@link HintPlacement#CONTINUATION} (a prefilled assistant message, for backends
     * that continue one; others treat it as history).
     */
    public B hintPlacement(HintPlacement hintPlacement) {
        settings.hintPlacement(hintPlacement);
        return self();
    }

    /**
     * What happens when the large model fails or the spend cap refuses a call:
     * {@link FailureMode#FALLBACK_TO_SMALL} (default: the small model's answer, flagged in the
     * metadata notes) or {@link FailureMode#STRICT} (the typed exception propagates).
     */
    public B failureMode(FailureMode failureMode) {
        settings.failureMode(failureMode);
        return self();
    }

    /**
     * What a small model that fails for good does: the request fails ({@link SmallFailureMode#FAIL}, default)
     * or the large model answers, within the spend cap ({@link SmallFailureMode#FALLBACK_TO_LARGE}); see
     * {@link Shepherd.Builder#smallFailure}.
     */
    public B smallFailure(SmallFailureMode mode) {
        settings.smallFailure(mode);
        return self();
    }

    /**
     * How failed model calls are tried again, within {@link #requestTimeout(Duration)}; none by default. Build
     * the inner clients with {@code maxRetries(0)} when it retries, and with
     * {@link RetryAfterHeaders#httpClientBuilder()} so that a 429's {@code Retry-After} is honoured; see
     * {@link Shepherd.Builder#retryPolicy}.
     */
    public B retryPolicy(RetryPolicy retryPolicy) {
        settings.retryPolicy(retryPolicy);
        return self();
    }

    /** A rolling-window limit on large-model spend for this model instance, never exceeded; none by default. */
    public B spendCap(SpendCap spendCap) {
        settings.spendCap(spendCap);
        return self();
    }

    /** Output cap of large-model calls that set none (full answers); see {@link Shepherd.Builder#largeMaxOutputTokens}. */
    public B largeMaxOutputTokens(int tokens) {
        settings.largeMaxOutputTokens(tokens);
        return self();
    }

    /**
     * A per-request deadline for the large model, none by default: no large-model call (hint or full
     * answer) starts after it has passed. The refused call is recorded as failed and counts as "large
     * model unavailable", so the failure mode decides: the small model's answer, flagged (default), or
     * a {@link ModelCallException} (strict). No retry of the {@link #retryPolicy(RetryPolicy)} waits or
     * starts past it either. A call already running is bounded by
     * its client's own timeout ({@code OpenAiChatModel.builder().timeout(...)}), and small-model calls
     * only by theirs, so a request waits on the large model at most about the deadline plus one
     * client timeout. See {@link Shepherd.Builder#requestTimeout}.
     */
    public B requestTimeout(Duration timeout) {
        settings.requestTimeout(timeout);
        this.requestTimeout = timeout;
        return self();
    }

    /** Listeners of this model's own requests and responses (the inner models keep theirs). */
    public B listeners(List<ChatModelListener> listeners) {
        this.listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
        return self();
    }

    /** Defaults merged into every request by LangChain4j (e.g. a {@code maxOutputTokens}); none by default. */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        this.defaultRequestParameters = Objects.requireNonNull(parameters, "defaultRequestParameters");
        return self();
    }

    /**
     * Estimate the small model's token counts when its backend reports none (one token per four
     * UTF-8 bytes) instead of failing; {@code false} by default. The large model must always report
     * usage: it is what the spend cap is charged with.
     */
    public B estimateMissingSmallUsage(boolean estimate) {
        this.estimateMissingSmallUsage = estimate;
        return self();
    }

    /** The tiers of {@code tiers(...)}, checked: 2..N, cheapest first. */
    @SafeVarargs
    static <T> List<T> ladder(T... tiers) {
        Objects.requireNonNull(tiers, "tiers");
        if (tiers.length < 2) {
            throw new IllegalArgumentException("tiers needs at least 2 tiers (cheapest first) but had " + tiers.length);
        }
        return List.of(tiers);
    }

    /**
     * Fails when a ladder is mixed with the pair's models or a cost model (it brings each tier's prices).
     *
     * @param smallSet whether the concrete builder's small model was set
     */
    void requireLadderAlone(boolean smallSet) {
        if (smallSet || large != null) {
            throw new IllegalStateException("set either tiers(...) or small(...)/large(...), not both");
        }
        if (costModelSet) {
            throw new IllegalStateException("tiers(...) brings each tier's prices: do not set costModel(...)");
        }
    }

    private static String checkName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(field + " must not be null or blank but was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    /**
     * The executor over the given small generator and this builder's large model and settings.
     *
     * @param small the small generator, or {@code null} when none was set (the executor's build says so)
     * @throws IllegalStateException when small, large, policy or costModel is missing
     */
    Shepherd shepherd(Generator small) {
        if (small != null) {
            settings.small(small);
        }
        if (large != null) {
            if (largeName == null) {
                largeName = ChatModelGenerator.defaultName(large);
            }
            settings.large(ChatModelGenerator.of(large, largeName, ModelRole.LARGE));
        }
        return settings.build();
    }
}
