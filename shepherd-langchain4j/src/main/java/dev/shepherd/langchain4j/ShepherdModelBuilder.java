package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.shepherd.core.FailureMode;
import dev.shepherd.core.Shepherd;
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
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings {@link ShepherdChatModel} and {@link ShepherdStreamingChatModel} share: the large
 * model, the policy and everything the {@link Shepherd} executor takes. Each setter validates at
 * once and names the field. Not thread-safe; the built models are.
 *
 * @param <B> the concrete builder
 */
public abstract class ShepherdModelBuilder<B extends ShepherdModelBuilder<B>> {

    ChatModel large;
    String smallName;
    String largeName;
    ShepherdingPolicy policy;
    CostModel costModel;
    CostLedger ledger = CostLedger.totalsOnly();
    PromptTemplate template = PromptTemplate.chat();
    AnswerExtractor extractor;
    Sampling sampling;
    HintPlacement hintPlacement = HintPlacement.PROMPT;
    FailureMode failureMode = FailureMode.FALLBACK_TO_SMALL;
    SpendCap spendCap;
    Integer largeMaxOutputTokens;
    Duration requestTimeout;
    List<ChatModelListener> listeners = List.of();
    ChatRequestParameters defaultRequestParameters = DefaultChatRequestParameters.EMPTY;
    boolean estimateMissingSmallUsage;

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

    /** The strategy run for every request. Required. */
    public B policy(ShepherdingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** Prices of each side, for the ledger and the spend cap. Required. */
    public B costModel(CostModel costModel) {
        this.costModel = Objects.requireNonNull(costModel, "costModel");
        return self();
    }

    /**
     * Where each request's entry goes. By default {@link CostLedger#totalsOnly()} (constant memory,
     * as a long-running service needs); pass {@link CostLedger#create()} to keep every entry.
     */
    public B ledger(CostLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        return self();
    }

    /** The prompt; {@link PromptTemplate#chat()} (the user's text unchanged unless a hint is added) by default. */
    public B template(PromptTemplate template) {
        this.template = Objects.requireNonNull(template, "template");
        return self();
    }

    /** How final answers of samples are compared; the executor's default (normalised text) when unset. */
    public B extractor(AnswerExtractor extractor) {
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        return self();
    }

    /** Sampling of answers and samples; the executor's default (the paper's T = 0.3, top-p 0.95) when unset. */
    public B sampling(Sampling sampling) {
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        return self();
    }

    /**
     * How a hint reaches the small model: {@link HintPlacement#PROMPT} (the paper's {@code Hint:} line,
     * the default) or {@link HintPlacement#CONTINUATION} (a prefilled assistant message, for backends
     * that continue one; others treat it as history).
     */
    public B hintPlacement(HintPlacement hintPlacement) {
        this.hintPlacement = Objects.requireNonNull(hintPlacement, "hintPlacement");
        return self();
    }

    /**
     * What happens when the large model fails or the spend cap refuses a call:
     * {@link FailureMode#FALLBACK_TO_SMALL} (default: the small model's answer, flagged in the
     * metadata notes) or {@link FailureMode#STRICT} (the typed exception propagates).
     */
    public B failureMode(FailureMode failureMode) {
        this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
        return self();
    }

    /** A rolling-window limit on large-model spend for this model instance, never exceeded; none by default. */
    public B spendCap(SpendCap spendCap) {
        this.spendCap = Objects.requireNonNull(spendCap, "spendCap");
        return self();
    }

    /** Output cap of large-model calls that set none (full answers); the executor's 4096 when unset. */
    public B largeMaxOutputTokens(int tokens) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("largeMaxOutputTokens must be > 0 but was " + tokens);
        }
        this.largeMaxOutputTokens = tokens;
        return self();
    }

    /**
     * A per-request deadline for the large model, none by default: no large-model call (hint or full
     * answer) starts after it has passed. The refused call is recorded as failed and counts as "large
     * model unavailable", so the failure mode decides: the small model's answer, flagged (default), or
     * a {@link dev.shepherd.core.ModelCallException} (strict). A call already running is bounded by
     * its client's own timeout ({@code OpenAiChatModel.builder().timeout(...)}), and small-model calls
     * only by theirs, so a request waits on the large model at most about the deadline plus one
     * client timeout.
     */
    public B requestTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "requestTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive but was " + timeout);
        }
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

    private static String checkName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(field + " must not be null or blank but was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    void checkRequired(Object small) {
        if (small == null) {
            throw new IllegalStateException("small model is required: call small(...)");
        }
        if (large == null) {
            throw new IllegalStateException("large model is required: call large(...)");
        }
        if (policy == null) {
            throw new IllegalStateException("policy is required: call policy(...)");
        }
        if (costModel == null) {
            throw new IllegalStateException("costModel is required: call costModel(...)");
        }
    }

    /** The executor over the given small generator and this builder's large model and settings. */
    Shepherd shepherd(Generator small) {
        if (largeName == null) {
            largeName = ChatModelGenerator.defaultName(large);
        }
        Shepherd.Builder b = Shepherd.builder()
                .small(small)
                .large(ChatModelGenerator.of(large, largeName, ModelRole.LARGE))
                .policy(policy).costModel(costModel).ledger(ledger).template(template)
                .hintPlacement(hintPlacement).failureMode(failureMode);
        if (extractor != null) {
            b.extractor(extractor);
        }
        if (sampling != null) {
            b.sampling(sampling);
        }
        if (spendCap != null) {
            b.spendCap(spendCap);
        }
        if (largeMaxOutputTokens != null) {
            b.largeMaxOutputTokens(largeMaxOutputTokens);
        }
        return b.build();
    }
}
