package dev.shepherd.core.run;

import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.hint.HintProvider;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.policy.PolicyContext;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.tier.Tier;
import dev.shepherd.core.tier.Tiers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The per-request {@link PolicyContext}: prices, caps, retries and records every call, and keeps the
 * request's deadline. Not thread-safe.
 */
final class RequestContext implements PolicyContext {

    /** Chat-template overhead per message, in tokens, for the worst-case input estimate. */
    private static final int MESSAGE_OVERHEAD_TOKENS = 16;

    /** The executor's settings a request needs. */
    record Settings(Generator small, Generator large, HintProvider hintProvider, CostModel costModel,
                           SpendCap spendCap, PromptTemplate template, AnswerExtractor extractor,
                           Sampling sampling, HintPlacement hintPlacement, int largeMaxOutputTokens,
                           Tiers tiers, RetryPolicy retryPolicy, Duration requestTimeout) {
    }

    private final Settings settings;
    /** System.nanoTime() of the deadline; meaningful only when settings.requestTimeout() is set. */
    private final long deadlineNanos;
    private final List<CallRecord> calls = new ArrayList<>();
    private Completion lastSmallAnswer;
    private int retries;

    /** A context for one request, started now: its deadline runs from here. */
    RequestContext(Settings settings) {
        this.settings = settings;
        this.deadlineNanos = settings.requestTimeout() == null ? 0
                : System.nanoTime() + settings.requestTimeout().toNanos();
    }

    /** How many retries the request's calls needed (failed attempts that were tried again). */
    int retries() {
        return retries;
    }

    /**
     * The calls made so far: the live list, or on a ladder whose ends are not named "small" and
     * "large" a copy in which the ends' calls carry their tier names.
     */
    List<CallRecord> calls() {
        Tiers t = settings.tiers();
        String bottom = t.bottom().name();
        String top = t.top().name();
        if (bottom.equals(ModelRole.SMALL.label()) && top.equals(ModelRole.LARGE.label())) {
            return calls;
        }
        List<CallRecord> named = new ArrayList<>(calls.size());
        for (CallRecord c : calls) {
            // small()/large()/hint() record the role's label; a middle tier's calls are named when made.
            boolean end = c.tier().equals(c.role().label());
            named.add(end ? c.withTier(c.role() == ModelRole.SMALL ? bottom : top) : c);
        }
        return named;
    }

    @Override
    public Tiers tiers() {
        return settings.tiers();
    }

    @Override
    public Completion tier(int index, GenerationRequest request, CallPurpose purpose) {
        Tiers t = settings.tiers();
        Objects.checkIndex(index, t.size());
        if (index == 0) {
            return small(request, purpose);
        }
        if (index == t.size() - 1) {
            return large(request, purpose);
        }
        return middle(t.get(index), request, purpose);
    }

    /**
     * A middle tier's call: as {@link #large}, but reserved and priced at the tier's own rates and
     * recorded with its name.
     */
    private Completion middle(Tier tier, GenerationRequest request, CallPurpose purpose) {
        GenerationRequest capped = request.maxOutputTokens() == null
                ? request.toBuilder().maxOutputTokens(settings.largeMaxOutputTokens()).build()
                : request;
        double worstCase = tier.prices().cost(worstCaseInputTokens(capped), capped.maxOutputTokens());
        SpendCap.Reservation reservation = reserve(worstCase);
        double cost = worstCase;
        int recorded = calls.size();
        try {
            Completion c = call(ModelRole.LARGE, tier.model().name(), purpose, capped.assistantPrefix() != null,
                    () -> tier.model().generate(capped));
            cost = tier.prices().cost(c.inputTokens(), c.outputTokens());
            return c;
        } catch (ModelCallException e) {
            cost = e.rejected() ? 0 : worstCase;
            throw e;
        } finally {
            if (calls.size() > recorded) {
                CallRecord r = calls.get(recorded).withTier(tier.name());
                calls.set(recorded, r.failed() ? r : r.withCostUsd(cost));
            }
            if (reservation != null) {
                reservation.settle(cost);
            }
        }
    }

    /** The last successful small-model answer or sample, for a fallback that need not call again. */
    Completion lastSmallAnswer() {
        return lastSmallAnswer;
    }

    @Override
    public Completion small(GenerationRequest request, CallPurpose purpose) {
        Completion c = withRetries(() -> call(ModelRole.SMALL, settings.small().name(), purpose,
                request.assistantPrefix() != null, () -> settings.small().generate(request)));
        if (purpose == CallPurpose.ANSWER || purpose == CallPurpose.SAMPLE) {
            lastSmallAnswer = c;
        }
        return c;
    }

    @Override
    public void offerFallback(Completion answer) {
        lastSmallAnswer = Objects.requireNonNull(answer, "answer");
    }

    @Override
    public Completion large(GenerationRequest request, CallPurpose purpose) {
        GenerationRequest capped = request.maxOutputTokens() == null
                ? request.toBuilder().maxOutputTokens(settings.largeMaxOutputTokens()).build()
                : request;
        double worstCase = worstCaseUsd(worstCaseInputTokens(capped), capped.maxOutputTokens());
        return withRetries(() -> largeAttempt(capped, purpose, worstCase));
    }

    /** One attempt of a large-model call: deadline, reservation, call, settlement. */
    private Completion largeAttempt(GenerationRequest capped, CallPurpose purpose, double worstCase) {
        refuseAfterDeadline(settings.large().name(), purpose);
        SpendCap.Reservation reservation = reserve(worstCase);
        double cost = worstCase;
        try {
            Completion c = call(ModelRole.LARGE, settings.large().name(), purpose, capped.assistantPrefix() != null,
                    () -> settings.large().generate(capped));
            cost = calls.get(calls.size() - 1).costUsd();
            return c;
        } catch (ModelCallException e) {
            cost = e.rejected() ? 0 : worstCase;
            throw e;
        } finally {
            // A failed call keeps its worst case unless the backend refused it unprocessed:
            // a timed-out or reset request may still have been billed.
            if (reservation != null) {
                reservation.settle(cost);
            }
        }
    }

    @Override
    public Hint hint(Query query, int tokens) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("hint tokens must be > 0 but was " + tokens);
        }
        double worstCase = worstCaseUsd(worstCaseInputTokens(settings.template().messages(query, null)), tokens);
        return withRetries(() -> hintAttempt(query, tokens, worstCase));
    }

    /** One attempt to buy a hint: deadline, reservation, call, settlement. */
    private Hint hintAttempt(Query query, int tokens, double worstCase) {
        HintProvider provider = settings.hintProvider();
        refuseAfterDeadline(provider.name(), CallPurpose.HINT);
        SpendCap.Reservation reservation = reserve(worstCase);
        long start = System.nanoTime();
        double cost = worstCase;
        try {
            Hint hint = provider.hint(query, tokens);
            if (hint == null) {
                throw new ModelCallException(ModelRole.LARGE, provider.name(), "hint provider returned no hint");
            }
            Completion src = hint.source();
            int in = src == null ? 0 : src.inputTokens();
            int out = src == null ? 0 : src.outputTokens();
            cost = settings.costModel().cost(ModelRole.LARGE, in, out);
            calls.add(new CallRecord(ModelRole.LARGE, provider.name(), CallPurpose.HINT, in, out, cost,
                    elapsed(start), src == null ? null : src.finishReason(), null));
            return hint;
        } catch (RuntimeException e) {
            calls.add(new CallRecord(ModelRole.LARGE, provider.name(), CallPurpose.HINT, 0, 0, 0, elapsed(start),
                    null, String.valueOf(e.getMessage())));
            ShepherdException wrapped = wrap(ModelRole.LARGE, provider.name(), e);
            cost = wrapped instanceof ModelCallException mce && mce.rejected() ? 0 : worstCase;
            throw wrapped;
        } finally {
            if (reservation != null) {
                reservation.settle(cost);
            }
        }
    }

    /**
     * Runs one call's attempts: each failed attempt is already recorded; a retriable failure is tried
     * again after the policy's wait, unless attempts run out or the retry could not end before the
     * deadline: the policy is given the time left minus how long the failed attempt took, so a retry is
     * started only if, waiting first and then taking as long, it would still end in time (a timed-out
     * attempt is not retried into a deadline it would overrun). Only model failures are retried: a
     * spend-cap refusal of a retry, or any other exception, ends the call at once.
     */
    private <T> T withRetries(Supplier<T> attempt) {
        RetryPolicy policy = settings.retryPolicy();
        for (int failed = 1; ; failed++) {
            long start = System.nanoTime();
            try {
                return attempt.get();
            } catch (ModelCallException e) {
                Duration left = remaining();
                Duration budget = left == null ? null : left.minus(elapsed(start));
                Optional<Duration> wait = policy.delayBeforeRetry(failed, e, budget);
                if (wait.isEmpty()) {
                    throw e;
                }
                try {
                    Thread.sleep(wait.get().toMillis(), wait.get().toNanosPart() % 1_000_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
                retries++;
            }
        }
    }

    /** Time left until the deadline (negative once passed), or {@code null} without one. */
    private Duration remaining() {
        return settings.requestTimeout() == null ? null : Duration.ofNanos(deadlineNanos - System.nanoTime());
    }

    /**
     * Refuses a large-model call once the request's deadline has passed: recorded as a failed call,
     * thrown as a rejected (never billed) {@link FailureKind#TIMEOUT}.
     */
    private void refuseAfterDeadline(String model, CallPurpose purpose) {
        Duration left = remaining();
        if (left != null && (left.isNegative() || left.isZero())) {
            String message = "request deadline of " + settings.requestTimeout() + " passed before the call could start";
            calls.add(new CallRecord(ModelRole.LARGE, model, purpose, 0, 0, 0, Duration.ZERO, null, message));
            throw new ModelCallException(ModelRole.LARGE, model, message, null, true, FailureKind.TIMEOUT, null);
        }
    }

    private double worstCaseUsd(long inputTokens, long outputTokens) {
        return settings.costModel().prices(ModelRole.LARGE).cost(inputTokens, outputTokens);
    }

    private SpendCap.Reservation reserve(double worstCaseUsd) {
        SpendCap cap = settings.spendCap();
        return cap == null ? null : cap.reserve(worstCaseUsd);
    }

    /** An upper bound on a request's prompt tokens, its assistant prefix included. */
    private static long worstCaseInputTokens(GenerationRequest request) {
        long bound = worstCaseInputTokens(request.messages());
        if (request.assistantPrefix() != null) {
            bound += request.assistantPrefix().getBytes(StandardCharsets.UTF_8).length + MESSAGE_OVERHEAD_TOKENS;
        }
        return bound;
    }

    /** An upper bound on prompt tokens: byte-level BPE never emits more tokens than UTF-8 bytes. */
    private static long worstCaseInputTokens(List<PromptMessage> messages) {
        long bytes = 0;
        for (PromptMessage m : messages) {
            bytes += m.text().getBytes(StandardCharsets.UTF_8).length + MESSAGE_OVERHEAD_TOKENS;
        }
        return bytes;
    }

    /**
     * Makes one call and records it. Blank text is a failure, except when continuing an assistant
     * prefix: then the model may rightly have nothing to add.
     */
    private Completion call(ModelRole role, String model, CallPurpose purpose, boolean continuing,
                            Supplier<Completion> generate) {
        long start = System.nanoTime();
        Completion c;
        try {
            c = generate.get();
            if (c == null) {
                throw new ModelCallException(role, model, "returned no completion");
            }
            if (c.text().isBlank() && !continuing) {
                throw new ModelCallException(role, model, "returned empty text (" + c.outputTokens()
                        + " output tokens, finish reason " + c.finishReason() + ")");
            }
        } catch (RuntimeException e) {
            calls.add(new CallRecord(role, model, purpose, 0, 0, 0, elapsed(start), null, String.valueOf(e.getMessage())));
            throw wrap(role, model, e);
        }
        double cost = settings.costModel().cost(role, c.inputTokens(), c.outputTokens());
        calls.add(new CallRecord(role, model, purpose, c.inputTokens(), c.outputTokens(), cost, elapsed(start),
                c.finishReason(), null));
        return c;
    }

    private static ShepherdException wrap(ModelRole role, String model, RuntimeException e) {
        if (e instanceof ShepherdException se) {
            return se;
        }
        return new ModelCallException(role, model, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public PromptTemplate template() {
        return settings.template();
    }

    @Override
    public AnswerExtractor extractor() {
        return settings.extractor();
    }

    @Override
    public Sampling sampling() {
        return settings.sampling();
    }

    @Override
    public HintPlacement hintPlacement() {
        return settings.hintPlacement();
    }
}
