package dev.shepherd.langchain4j.internal;

import dev.langchain4j.exception.TimeoutException;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.tier.Tiers;
import java.time.Duration;
import java.util.List;

/**
 * Derives the executor for one chat request from the model's shared one: same models, ledger,
 * spend cap and settings, with the request-scoped policy, optionally another small generator
 * (streaming), and, under a deadline, a large model that refuses to start calls after it. Building
 * it allocates a handful of objects; nothing is shared between requests but the shared settings.
 */
public final class PerRequest {

    private PerRequest() {
    }

    /**
     * @param small   the small generator for this request, or {@code null} to keep the shared one
     * @param timeout the request deadline from now, or {@code null} for none
     */
    public static Shepherd shepherd(Shepherd base, ShepherdingPolicy policy, Generator small, Duration timeout) {
        return shepherd(base, policy, small, null, timeout);
    }

    /**
     * As {@link #shepherd(Shepherd, ShepherdingPolicy, Generator, Duration)}, with the large generator for this
     * request too ({@code null}: the shared one).
     */
    public static Shepherd shepherd(Shepherd base, ShepherdingPolicy policy, Generator small, Generator large,
                                    Duration timeout) {
        return shepherd(base, policy, small, large, List.of(), timeout);
    }

    /**
     * As {@link #shepherd(Shepherd, ShepherdingPolicy, Generator, Generator, Duration)}, with this request's
     * generators of a ladder's middle tiers too (tier i at i - 1; empty: the shared ones).
     */
    public static Shepherd shepherd(Shepherd base, ShepherdingPolicy policy, Generator small, Generator large,
                                    List<? extends Generator> middle, Duration timeout) {
        Shepherd.Builder b = base.toBuilder().policy(policy);
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        Tiers tiers = base.tiers();
        if ((timeout != null || !middle.isEmpty()) && tiers.size() > 2) {
            // Middle tiers of a ladder are paid like the large model, so they honour the deadline too.
            // tiers(...) resets the ends and the cost model: set them again below.
            for (int i = 1; i < tiers.size() - 1; i++) {
                Generator g = middle.isEmpty() ? tiers.get(i).model() : middle.get(i - 1);
                tiers = tiers.withModel(i, timeout == null ? g : new DeadlineGenerator(g, deadline, timeout));
            }
            b.tiers(tiers).costModel(base.costModel()).large(base.large());
        }
        if (small != null) {
            b.small(small);
        }
        if (large != null || timeout != null) {
            Generator l = large != null ? large : base.large();
            if (timeout != null) {
                l = new DeadlineGenerator(l, deadline, timeout);
            }
            // The default hint provider follows the large model, so hints come from it and honour the deadline too.
            b.large(l);
        }
        return b.build();
    }

    /** Refuses to start a call once the deadline has passed; the refusal is recorded like any failed call. */
    private static final class DeadlineGenerator implements Generator {
        private final Generator delegate;
        private final long deadlineNanos;
        private final Duration timeout;

        DeadlineGenerator(Generator delegate, long deadlineNanos, Duration timeout) {
            this.delegate = delegate;
            this.deadlineNanos = deadlineNanos;
            this.timeout = timeout;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Completion generate(GenerationRequest request) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new ModelCallException(ModelRole.LARGE, delegate.name(), "request deadline of " + timeout
                        + " passed before the call could start", new TimeoutException("request deadline exceeded"), true);
            }
            return delegate.generate(request);
        }
    }
}
