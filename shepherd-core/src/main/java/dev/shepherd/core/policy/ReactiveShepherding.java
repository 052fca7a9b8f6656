package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.MissingTokenEntropyException;
import dev.shepherd.core.hint.PredictorMismatchException;
import dev.shepherd.core.hint.SampleFeatures.EntropySource;
import dev.shepherd.core.hint.SampleFeatures;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.Sampling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reactive shepherding (docs/method.md#proactive-and-reactive-shepherding), the paper's best
 * strategy: sample the small model K times; when at least k final answers agree, return the agreed
 * answer for free. Otherwise ask the predictor, now with the samples' mean token entropy and mean
 * output length as features, and carry out its decision: the small model alone (an existing sample
 * is reused), a hint of π(q) tokens, or, when π(q) &gt; η_hint, the large model's full answer.
 *
 * <p>When the small model returns no log-probabilities, the entropy feature is the entropy of
 * the K samples' answer distribution instead, noted once in the log and on each result
 * ({@code "entropy-from-answers"}); {@link Builder#entropySource} pins the definition the
 * predictor was trained on. The features are computed by {@link SampleFeatures}, as labeling
 * computes them. A sample whose call fails is dropped ({@code "sample-dropped"}) and the vote and the
 * features are taken over the others; the request fails only when all K fail. Immutable and thread-safe.
 */
public final class ReactiveShepherding implements ShepherdingPolicy {

    private static final Logger log = LoggerFactory.getLogger(ReactiveShepherding.class);

    private final int samples;
    private final int agreement;
    private final HintPredictor predictor;
    private final HintDecisionRule rule;
    private final Sampling sampling;
    private final EntropySource entropySource;
    private final AtomicBoolean warnedNoLogprobs = new AtomicBoolean();

    private ReactiveShepherding(Builder b) {
        this.samples = b.samples;
        this.agreement = b.agreement;
        this.predictor = b.predictor;
        this.rule = b.rule;
        this.sampling = b.sampling;
        this.entropySource = b.entropySource;
    }

    /** A builder with K = 3, k = 2 and the paper's GSM8K rule; the predictor is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "reactive-shepherding";
    }

    /** K, the number of small-model samples. */
    public int samples() {
        return samples;
    }

    /** k, how many samples must agree. */
    public int agreement() {
        return agreement;
    }

    /** α, η_hint and N_max. */
    public HintDecisionRule rule() {
        return rule;
    }

    /**
     * Which entropy definition the predictor's {@link Features#MEAN_ENTROPY} uses, or {@code null}
     * for automatic (token entropy when every sample carries it, else answer entropy).
     */
    public EntropySource entropySource() {
        return entropySource;
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        SampleSet set = SampleSet.draw(query, context, samples, sampling, true);
        if (set.votes().agree(agreement)) {
            return new PolicyOutcome(set.plurality(), Decision.smallOnly(), null, set.notes("agreed " + set.tally()));
        }
        List<String> notes = new ArrayList<>();
        notes.addAll(set.notes("disagreed " + set.tally()));
        // A query-only predictor serves the reactive gate too: it gets no sample features.
        Features features = predictor.requiredFeatures().isEmpty() ? Features.none()
                : onlyRequired(features(set.drawn(), set.answers(), notes));
        HintPrediction p = predictor.predict(query, features);
        if (p.queryTruncated()) {
            notes.add("query-truncated-for-predictor");
        }
        Decision decision = rule.decide(p);
        // Should the large model be unavailable, the plurality sample is the best small-model answer at hand.
        context.offerFallback(set.plurality());
        PolicyOutcome out = decision.kind() == Decision.Kind.SMALL_ONLY
                ? PolicyOutcome.of(set.plurality(), decision)
                : context.execute(query, decision);
        notes.addAll(out.notes());
        return new PolicyOutcome(out.answer(), out.decision(), out.hint(), notes);
    }

    private Features features(List<Completion> drawn, List<Optional<String>> answers, List<String> notes) {
        SampleFeatures.Result r = SampleFeatures.of(drawn, answers, entropySource);
        if (r.source() == EntropySource.ANSWER) {
            notes.add("entropy-from-answers");
            if (entropySource == null && warnedNoLogprobs.compareAndSet(false, true)) {
                log.info("the small model returned no log-probabilities; reactive shepherding uses the entropy "
                        + "of the sampled answers as its entropy feature");
            }
        }
        return r.features();
    }

    /** The features the predictor reads. */
    private Features onlyRequired(Features features) {
        Map<String, Double> kept = new LinkedHashMap<>(features.asMap());
        kept.keySet().retainAll(predictor.requiredFeatures());
        return kept.size() == features.asMap().size() ? features : Features.of(kept);
    }

    /** Entropy (nats) of the empirical distribution of final answers; see {@link SampleFeatures#answerEntropy}. */
    static double answerEntropy(List<Optional<String>> answers) {
        return SampleFeatures.answerEntropy(answers);
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private int samples = 3;
        private int agreement = 2;
        private HintPredictor predictor;
        private HintDecisionRule rule = HintDecisionRule.paperGsm8k();
        private Sampling sampling;
        private EntropySource entropySource;

        private Builder() {
        }

        /** K, the number of small-model samples; 3 by default (the paper's). */
        public Builder samples(int k) {
            this.samples = Arguments.atLeast("samples (K)", k, 1);
            return this;
        }

        /** k, how many samples must agree to skip the large model; 2 (majority of 3) by default. */
        public Builder agreement(int k) {
            this.agreement = Arguments.atLeast("agreement (k)", k, 1);
            return this;
        }

        /** The two-stage predictor, consulted only when the samples disagree. Required. */
        public Builder predictor(HintPredictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /** α, η_hint and N_max; {@link HintDecisionRule#paperGsm8k()} by default. */
        public Builder rule(HintDecisionRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Sampling of the K samples; the executor's (T = 0.3, top-p 0.95) by default. */
        public Builder sampling(Sampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /**
         * Which definition of {@link Features#MEAN_ENTROPY} the predictor was trained on (a label
         * file's {@code "entropy"}); {@code null}, the default, chooses automatically per query:
         * token entropy when every sample carries token entropies, else answer entropy.
         * With {@link EntropySource#TOKEN}, a query whose samples carry no token entropies fails with
         * {@link MissingTokenEntropyException}; with {@link EntropySource#ANSWER} the answer entropy is
         * always used.
         */
        public Builder entropySource(EntropySource source) {
            this.entropySource = source;
            return this;
        }

        /**
         * @throws IllegalStateException when no predictor was set
         * @throws IllegalArgumentException when k &gt; K
         * @throws PredictorMismatchException when the predictor needs features other than
         *         the samples' mean entropy and mean output length
         */
        public ReactiveShepherding build() {
            Arguments.required(predictor != null, "predictor");
            PredictorMismatchException.check("reactive-shepherding", predictor,
                    Set.of(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH));
            Arguments.agreementWithinSamples(agreement, samples);
            return new ReactiveShepherding(this);
        }
    }
}
