package dev.shepherd.core.run;

import dev.shepherd.core.Decision;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.hint.HintProvider;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.policy.PolicyOutcome;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.tier.Tiers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ShepherdingPolicy} over a small and a large model: the one entry point that every
 * integration (the LangChain4j decorator, the CLI, evaluation) goes through.
 *
 * <p>For each request it gives the policy a fresh context that prices every call with the
 * {@link CostModel}, reserves large-model spend against the optional {@link SpendCap}, and
 * writes exactly one {@link LedgerEntry} to the {@link CostLedger}, whether the request
 * succeeded or not. When the large model fails or the cap refuses a call, the
 * {@link FailureMode} decides: by default the small model answers alone and the result is
 * flagged; in {@link FailureMode#STRICT} the exception propagates.
 *
 * <p>Model faults: every model call goes through the {@link RetryPolicy} (none by default), within
 * the request's deadline ({@link Builder#requestTimeout}); each attempt is a call in the ledger entry.
 * A failed sample among K is dropped and the policy decides on the rest (noted
 * {@link ShepherdResult#NOTE_SAMPLE_DROPPED}). A small model that still fails can hand the query to the
 * large model ({@link SmallFailureMode#FALLBACK_TO_LARGE}; by default the request fails).
 *
 * <pre>{@code
 * Shepherd shepherd = Shepherd.builder()
 *         .small(localModel).large(remoteModel)
 *         .policy(ReactiveShepherding.builder().predictor(predictor).build())
 *         .costModel(CostModel.localSmall(TokenPrices.perMillion(0.59, 0.79)))
 *         .build();
 * ShepherdResult r = shepherd.answer(Query.of("What is 17 * 23?"));
 * }</pre>
 *
 * <p>Immutable and thread-safe once built; the builder is not.
 */
public final class Shepherd {

    private static final Logger log = LoggerFactory.getLogger(Shepherd.class);

    /** Output cap of large-model calls that set none, unless the builder sets another; see the builder. */
    private static final int DEFAULT_LARGE_MAX_OUTPUT_TOKENS = 4096;

    private final ShepherdingPolicy policy;
    private final CostLedger ledger;
    private final FailureMode failureMode;
    private final SmallFailureMode smallFailure;
    private final Clock clock;
    /** The hint provider as the builder set it, {@code null} for the default; see {@link #toBuilder()}. */
    private final HintProvider hintProviderAsSet;
    private final RequestContext.Settings settings;
    /** The ladder as the builder set it, {@code null} for the two-model one; see {@link #toBuilder()}. */
    private final Tiers tiersAsSet;

    private Shepherd(Builder b) {
        // The builder holds only what the caller set; every default is resolved here, once.
        this.policy = b.policy;
        this.ledger = b.ledger != null ? b.ledger : CostLedger.create();
        this.failureMode = b.failureMode != null ? b.failureMode : FailureMode.FALLBACK_TO_SMALL;
        this.smallFailure = b.smallFailure != null ? b.smallFailure : SmallFailureMode.FAIL;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.hintProviderAsSet = b.hintProvider;
        PromptTemplate template = b.template != null ? b.template : PromptTemplate.chat();
        // The default hint is the large model's capped answer to the same prompt: bound to this
        // instance's large model and template, so it is derived here and never copied by toBuilder().
        HintProvider hints = b.hintProvider != null ? b.hintProvider : HintProvider.prefixOf(b.large, template);
        this.settings = new RequestContext.Settings(b.small, b.large, hints, b.costModel, b.spendCap, template,
                b.extractor != null ? b.extractor : AnswerExtractor.normalizedText(),
                b.sampling != null ? b.sampling : Sampling.PAPER,
                b.hintPlacement != null ? b.hintPlacement : HintPlacement.PROMPT,
                b.largeMaxOutputTokens != null ? b.largeMaxOutputTokens : DEFAULT_LARGE_MAX_OUTPUT_TOKENS,
                // The ends are always the small and large model as finally set, priced by the cost model.
                b.tiers != null ? b.tiers.withEnds(b.small, b.large, b.costModel)
                        : Tiers.ofPair(b.small, b.large, b.costModel),
                b.retryPolicy != null ? b.retryPolicy : RetryPolicy.none(), b.requestTimeout);
        this.tiersAsSet = b.tiers;
    }

    /** A builder; small, large, policy and costModel are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Answers one query with the policy.
     *
     * @throws ModelCallException          when the small model fails (unless it falls back to the large
     *                                     one), or the large one in strict mode
     * @throws SpendLimitExceededException in strict mode, when the cap refuses a large-model call
     */
    public ShepherdResult answer(Query query) {
        Objects.requireNonNull(query, "query");
        String requestId = RequestIds.next();
        var started = clock.instant();
        RequestContext ctx = new RequestContext(settings);
        List<String> notes = new ArrayList<>();
        try {
            PolicyOutcome outcome;
            try {
                outcome = policy.apply(query, ctx);
                Objects.requireNonNull(outcome, () -> "policy '" + policy.name() + "' returned no outcome");
            } catch (ModelCallException | SpendLimitExceededException e) {
                outcome = recover(e, query, ctx, notes, requestId);
            }
            notes.addAll(outcome.notes());
            if (ctx.retries() > 0) {
                notes.add(ShepherdResult.NOTE_RETRIED);
            }
            ledger.record(new LedgerEntry(requestId, started, policy.name(), query.id(), outcome.decision(),
                    ctx.calls(), true, null, notes));
            return new ShepherdResult(requestId, query, outcome.answer(), outcome.decision(), outcome.hint(),
                    ctx.calls(), notes);
        } catch (RuntimeException | Error e) {
            if (ctx.retries() > 0) {
                notes.add(ShepherdResult.NOTE_RETRIED);
            }
            ledger.record(new LedgerEntry(requestId, started, policy.name(), query.id(), null, ctx.calls(), false,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), notes));
            throw e;
        }
    }

    /** The outcome after the policy failed with {@code e}, or {@code e} again when nothing can answer. */
    private PolicyOutcome recover(ShepherdException e, Query query, RequestContext ctx, List<String> notes,
                                  String requestId) {
        if (e instanceof ModelCallException mce && mce.role() == ModelRole.SMALL) {
            if (smallFailure != SmallFailureMode.FALLBACK_TO_LARGE) {
                throw e;
            }
            log.warn("request {}: small model failed, answering with the large model: {}", requestId, e.getMessage());
            notes.add(ShepherdResult.NOTE_SMALL_UNAVAILABLE);
            try {
                return PolicyOutcome.of(ctx.answerLarge(query), Decision.largeFull());
            } catch (ModelCallException | SpendLimitExceededException large) {
                e.addSuppressed(large);
                if (!fallsBack(large) || ctx.lastSmallAnswer() == null) {
                    throw e;
                }
                notes.add(largeSkippedNote(large));
                return PolicyOutcome.of(ctx.lastSmallAnswer(), Decision.smallOnly());
            }
        }
        if (!fallsBack(e)) {
            throw e;
        }
        String note = largeSkippedNote(e);
        log.warn("request {}: large model skipped ({}), answering with the small model: {}",
                requestId, note, e.getMessage());
        notes.add(note);
        Completion fallback = ctx.lastSmallAnswer() != null ? ctx.lastSmallAnswer() : ctx.answerSmall(query, null);
        return PolicyOutcome.of(fallback, Decision.smallOnly());
    }

    private static String largeSkippedNote(ShepherdException e) {
        return e instanceof SpendLimitExceededException
                ? ShepherdResult.NOTE_SPEND_CAP : ShepherdResult.NOTE_LARGE_UNAVAILABLE;
    }

    private boolean fallsBack(ShepherdException e) {
        if (failureMode == FailureMode.STRICT) {
            return false;
        }
        return e instanceof SpendLimitExceededException
                || ((ModelCallException) e).role() == ModelRole.LARGE;
    }

    /** The strategy this executor runs. */
    public ShepherdingPolicy policy() {
        return policy;
    }

    /** Where every request is recorded. */
    public CostLedger ledger() {
        return ledger;
    }

    /** The prices every call is charged at. */
    public CostModel costModel() {
        return settings.costModel();
    }

    /** The small (local) model. */
    public Generator small() {
        return settings.small();
    }

    /** The large (remote) model. */
    public Generator large() {
        return settings.large();
    }

    /** How failed model calls are retried. */
    public RetryPolicy retryPolicy() {
        return settings.retryPolicy();
    }

    /**
     * The ladder every request runs on, cheapest first: the one set with {@link Builder#tiers(Tiers)}
     * (its ends being {@link #small()} and {@link #large()}), or the two-model ladder
     * {@code "small"}, {@code "large"}.
     */
    public Tiers tiers() {
        return settings.tiers();
    }

    /**
     * A builder with this instance's settings, e.g. to compare another policy on the same models and
     * ledger. It holds the resolved ledger (shared, so both instances record into it) and the
     * resolved values of the other settings, except the default hint provider: that one is derived
     * from the large model and the template, so a builder given another large model or template
     * buys its hints from them.
     */
    public Builder toBuilder() {
        Builder b = new Builder().small(settings.small()).large(settings.large()).policy(policy)
                .costModel(settings.costModel()).ledger(ledger).template(settings.template())
                .extractor(settings.extractor()).sampling(settings.sampling()).hintPlacement(settings.hintPlacement())
                .failureMode(failureMode).largeMaxOutputTokens(settings.largeMaxOutputTokens()).clock(clock)
                .retryPolicy(settings.retryPolicy()).smallFailure(smallFailure);
        b.hintProvider = hintProviderAsSet;
        b.tiers = tiersAsSet;
        b.spendCap = settings.spendCap();
        b.requestTimeout = settings.requestTimeout();
        return b;
    }

    /**
     * Fail-fast builder: each setter rejects null or out-of-range values at once, naming the
     * field. Not thread-safe.
     */
    public static final class Builder {
        private Generator small;
        private Generator large;
        private ShepherdingPolicy policy;
        private CostModel costModel;
        // Only what the caller set; null means "the default", which the built Shepherd resolves.
        private CostLedger ledger;
        private PromptTemplate template;
        private AnswerExtractor extractor;
        private Sampling sampling;
        private HintPlacement hintPlacement;
        private HintProvider hintProvider;
        private FailureMode failureMode;
        private SmallFailureMode smallFailure;
        private RetryPolicy retryPolicy;
        private Duration requestTimeout;
        private SpendCap spendCap;
        private Integer largeMaxOutputTokens;
        private Clock clock;
        private Tiers tiers;

        private Builder() {
        }

        /**
         * Runs on a ladder of 2..N models instead of a pair: sets the small model (the bottom tier),
         * the large model (the top tier) and the cost model of the ends' prices, and lets tier-aware
         * policies ({@link dev.shepherd.core.policy.TierCascade}, {@link dev.shepherd.core.policy.TierRouting},
         * {@link dev.shepherd.core.policy.TierShepherding}) call the tiers in between. Two-model policies
         * run unchanged on the ends. A later {@code small}, {@code large} or {@code costModel} replaces
         * the ends' model or prices, keeping their tier names.
         */
        public Builder tiers(Tiers tiers) {
            this.tiers = Objects.requireNonNull(tiers, "tiers");
            this.small = tiers.bottom().model();
            this.large = tiers.top().model();
            this.costModel = tiers.endsCostModel();
            return this;
        }

        /** The small (local, cheap) model. Required. */
        public Builder small(Generator small) {
            this.small = Objects.requireNonNull(small, "small");
            return this;
        }

        /** The large (remote, expensive) model. Required. */
        public Builder large(Generator large) {
            this.large = Objects.requireNonNull(large, "large");
            return this;
        }

        /** The strategy. Required. */
        public Builder policy(ShepherdingPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Prices of each side. Required. */
        public Builder costModel(CostModel costModel) {
            this.costModel = Objects.requireNonNull(costModel, "costModel");
            return this;
        }

        /** Where each request's entry goes; a fresh {@link CostLedger#create()} by default. */
        public Builder ledger(CostLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /** The prompt; {@link PromptTemplate#chat()} by default. */
        public Builder template(PromptTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** How final answers are compared across samples; {@link AnswerExtractor#normalizedText()} by default. */
        public Builder extractor(AnswerExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /** Sampling of answers and samples; {@link Sampling#PAPER} by default. */
        public Builder sampling(Sampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /** How hints reach the small model; {@link HintPlacement#PROMPT} (the paper's) by default. */
        public Builder hintPlacement(HintPlacement hintPlacement) {
            this.hintPlacement = Objects.requireNonNull(hintPlacement, "hintPlacement");
            return this;
        }

        /**
         * Where hints come from; by default the large model's capped answer to the same prompt
         * ({@link HintProvider#prefixOf}), bound to the large model and template of the built instance.
         */
        public Builder hintProvider(HintProvider hintProvider) {
            this.hintProvider = Objects.requireNonNull(hintProvider, "hintProvider");
            return this;
        }

        /** Fallback to the small model (default) or strict failure. */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
            return this;
        }

        /**
         * What a small model that fails for good does: {@link SmallFailureMode#FAIL} (default: the request
         * fails) or {@link SmallFailureMode#FALLBACK_TO_LARGE} (the large model answers, within the spend cap).
         */
        public Builder smallFailure(SmallFailureMode mode) {
            this.smallFailure = Objects.requireNonNull(mode, "smallFailure");
            return this;
        }

        /**
         * How failed model calls are tried again; {@link RetryPolicy#none()} by default, because LangChain4j's
         * clients retry on their own unless built with {@code maxRetries(0)}, and stacked retries multiply.
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * The request's deadline, counted from the start of {@link Shepherd#answer}; none by default. No
         * retry waits past it or starts unless, taking as long as the attempt that failed, it would end before
         * it; and no large-model call (hint, answer, help, or the fallback of a
         * failed small model) starts after it: such a call is recorded as failed and counts as the large
         * model unavailable, so the {@link FailureMode} decides. Small-model calls are bounded by their own
         * client's timeout only, so a request late for the large model can still get the small model's answer:
         * a request takes at most about the deadline plus one client timeout per call still to make.
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "requestTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive but was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** A rolling-window limit on large-model spend, never exceeded; none by default. */
        public Builder spendCap(SpendCap spendCap) {
            this.spendCap = Objects.requireNonNull(spendCap, "spendCap");
            return this;
        }

        /**
         * Output cap for large-model calls that set none (full answers), 4096 by default. It bounds
         * the worst-case cost reserved against the spend cap.
         */
        public Builder largeMaxOutputTokens(int tokens) {
            if (tokens <= 0) {
                throw new IllegalArgumentException("largeMaxOutputTokens must be > 0 but was " + tokens);
            }
            this.largeMaxOutputTokens = tokens;
            return this;
        }

        /** Timestamps of ledger entries; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException when small, large, policy or costModel is missing */
        public Shepherd build() {
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
            return new Shepherd(this);
        }
    }
}
