package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.model.Sampling;
import java.util.List;
import java.util.Objects;

/**
 * Agreement-based cascading (ABC, docs/method.md#other-schemes): sample the small model K times, extract
 * each final answer with the executor's {@link AnswerExtractor}, and
 * when at least k of them agree return the first agreeing sample ({@code SMALL_ONLY}, noted
 * {@code "agreed c/K"}); otherwise buy the large model's full answer ({@code LARGE_FULL}, noted
 * {@code "disagreed c/K"}). Training-free; unlike {@link ReactiveShepherding} it never buys a hint.
 *
 * <p>A sample whose call fails is dropped ({@code "sample-dropped"}); k must then agree among the samples
 * that succeeded, so a dropped sample makes escalation likelier, never agreement. The request fails only
 * when all K fail. Immutable and thread-safe.
 */
public final class AgreementCascade implements ShepherdingPolicy {

    private final int samples;
    private final int agreement;
    private final Sampling sampling;

    private AgreementCascade(Builder b) {
        this.samples = b.samples;
        this.agreement = b.agreement;
        this.sampling = b.sampling;
    }

    /** A builder with K = 3, k = 3 (the conservative, unanimous setting). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "agreement-cascade";
    }

    /** K. */
    public int samples() {
        return samples;
    }

    /** k. */
    public int agreement() {
        return agreement;
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        SampleSet set = SampleSet.draw(query, context, samples, sampling, false);
        if (set.votes().agree(agreement)) {
            return new PolicyOutcome(set.plurality(), Decision.smallOnly(), null, set.notes("agreed " + set.tally()));
        }
        // If the large model is unavailable, the plurality sample is the best small-model answer we have.
        context.offerFallback(set.plurality());
        return new PolicyOutcome(context.answerLarge(query), Decision.largeFull(), null,
                set.notes("disagreed " + set.tally()));
    }

    @Override
    public String toString() {
        return "AgreementCascade[K=" + samples + ", k=" + agreement + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private int samples = 3;
        private int agreement = 3;
        private Sampling sampling;

        private Builder() {
        }

        /** K, the number of small-model samples, ≥ 1; 3 by default. */
        public Builder samples(int k) {
            this.samples = Arguments.atLeast("samples (K)", k, 1);
            return this;
        }

        /** k, how many final answers must agree to skip the large model, 1 ≤ k ≤ K; 3 by default. */
        public Builder agreement(int k) {
            this.agreement = Arguments.atLeast("agreement (k)", k, 1);
            return this;
        }

        /** Sampling of the K samples; the executor's (T = 0.3, top-p 0.95) by default. */
        public Builder sampling(Sampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /** @throws IllegalArgumentException when k &gt; K */
        public AgreementCascade build() {
            Arguments.agreementWithinSamples(agreement, samples);
            return new AgreementCascade(this);
        }
    }
}
