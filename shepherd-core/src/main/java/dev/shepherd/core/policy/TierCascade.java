package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.ConfidenceParser;
import dev.shepherd.core.answer.Votes;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.tier.Tiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A cascade up a ladder of models ({@link Tiers}, cheapest first): each tier below the top is
 * checked, and the first that passes answers; the top tier answers in full when none does.
 * Two checks, as in the two-model cascades:
 * <ul>
 *   <li><b>agreement</b> (the default, {@link AgreementCascade} per tier): K samples of the tier, their
 *       final answers extracted; at least k agree → the first agreeing sample;</li>
 *   <li><b>confidence</b> ({@link Builder#confidenceThreshold(double)}, {@link ConfidenceCascade} per
 *       tier): the tier ends its answer with {@code Confidence: <0..1>}; at or above the threshold →
 *       that answer, the confidence line removed.</li>
 * </ul>
 * On a two-model executor the ladder is the pair, and this is {@link AgreementCascade} (or
 * {@link ConfidenceCascade}). The decision is {@code SMALL_ONLY} when the bottom tier answered and
 * {@code LARGE_FULL} when a paid tier did; the notes say each tier's check ({@code "mid agreed 2/3"},
 * {@code "local confidence 0.40"}) and the ledger's calls name every tier called. A failing tier above
 * the bottom is handled as a failing large model: the executor's failure mode decides, falling back to
 * the bottom tier's best answer.
 *
 * <p>Immutable and thread-safe.
 */
public final class TierCascade implements ShepherdingPolicy {

    private final int samples;
    private final int agreement;
    private final Sampling sampling;
    private final double confidenceThreshold;
    private final String instruction;

    private TierCascade(Builder b) {
        this.samples = b.samples;
        this.agreement = b.agreement;
        this.sampling = b.sampling;
        this.confidenceThreshold = b.confidenceThreshold;
        this.instruction = b.instruction;
    }

    /** A builder: agreement with K = 3, k = 3 at each tier unless a confidence threshold is set. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "tier-cascade";
    }

    /** Whether each tier is checked by stated confidence rather than by agreement of samples. */
    public boolean checksConfidence() {
        return !Double.isNaN(confidenceThreshold);
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        Tiers tiers = context.tiers();
        int top = tiers.size() - 1;
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < top; i++) {
            String tier = tiers.get(i).name();
            Completion accepted = checksConfidence()
                    ? byConfidence(query, context, i, tier, notes)
                    : byAgreement(query, context, i, tier, notes);
            if (accepted != null) {
                return new PolicyOutcome(accepted, i == 0 ? Decision.smallOnly() : Decision.largeFull(), null, notes);
            }
        }
        Completion answer = context.tier(top, GenerationRequest.builder()
                .messages(context.template().messages(query, null))
                .sampling(context.sampling())
                .build(), CallPurpose.ANSWER);
        return new PolicyOutcome(answer, Decision.largeFull(), null, notes);
    }

    /** K samples of tier {@code i}: the plurality sample when k agree, else {@code null}. */
    private Completion byAgreement(Query query, PolicyContext context, int i, String tier, List<String> notes) {
        GenerationRequest request = GenerationRequest.builder()
                .messages(context.template().messages(query, null))
                .sampling(sampling != null ? sampling : context.sampling())
                .build();
        List<Completion> drawn = new ArrayList<>(samples);
        List<Optional<String>> answers = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            Completion c = context.tier(i, request, CallPurpose.SAMPLE);
            drawn.add(c);
            answers.add(context.extractor().extract(c.text()));
        }
        Votes votes = Votes.count(answers);
        Completion plurality = drawn.get(Math.max(votes.firstIndex(), 0));
        String tally = votes.count() + "/" + samples;
        if (votes.agree(agreement)) {
            notes.add(tier + " agreed " + tally);
            return plurality;
        }
        notes.add(tier + " disagreed " + tally);
        if (i == 0) {
            // The executor's fallback is the bottom tier's answer: offer its best one.
            context.offerFallback(plurality);
        }
        return null;
    }

    /** Tier {@code i}'s answer with a stated confidence: the answer when confident enough, else {@code null}. */
    private Completion byConfidence(Query query, PolicyContext context, int i, String tier, List<String> notes) {
        GenerationRequest request = GenerationRequest.builder()
                .messages(ConfidenceCascade.withInstruction(context.template().messages(query, null), instruction))
                .sampling(context.sampling())
                .build();
        Completion stated = context.tier(i, request, CallPurpose.CONFIDENCE);
        OptionalDouble parsed = ConfidenceParser.parse(stated.text());
        double confidence = parsed.orElse(0);
        notes.add(String.format(Locale.ROOT, "%s confidence %.2f%s", tier, confidence,
                parsed.isEmpty() ? " (unparsed)" : ""));
        Completion answer = new Completion(ConfidenceParser.strip(stated.text()), stated.inputTokens(),
                stated.outputTokens(), stated.finishReason(), stated.tokenEntropies());
        if (answer.text().isBlank()) {
            return null;
        }
        if (i == 0) {
            context.offerFallback(answer);
        }
        return confidence >= confidenceThreshold ? answer : null;
    }

    @Override
    public String toString() {
        return checksConfidence() ? "TierCascade[confidence >= " + confidenceThreshold + "]"
                : "TierCascade[K=" + samples + ", k=" + agreement + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private int samples = 3;
        private int agreement = 3;
        private Sampling sampling;
        private double confidenceThreshold = Double.NaN;
        private String instruction = ConfidenceCascade.DEFAULT_INSTRUCTION;

        private Builder() {
        }

        /** K, samples drawn at each tier below the top, ≥ 1; 3 by default. */
        public Builder samples(int k) {
            this.samples = Arguments.atLeast("samples (K)", k, 1);
            return this;
        }

        /** k, how many final answers must agree to stop at a tier, 1 ≤ k ≤ K; 3 by default. */
        public Builder agreement(int k) {
            this.agreement = Arguments.atLeast("agreement (k)", k, 1);
            return this;
        }

        /** Sampling of the samples; the executor's by default. */
        public Builder sampling(Sampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /**
         * Check each tier by its stated confidence instead of agreement: stop at the first tier whose
         * confidence is at least this, in [0, 1] (one threshold for every tier; calibrate it with
         * {@link ConfidenceCalibration} on the tier that escalates most).
         */
        public Builder confidenceThreshold(double threshold) {
            this.confidenceThreshold = Arguments.share("confidenceThreshold", threshold);
            return this;
        }

        /** The confidence instruction line; {@link ConfidenceCascade#DEFAULT_INSTRUCTION} by default. */
        public Builder instruction(String instruction) {
            this.instruction = Arguments.nonBlank("instruction", instruction).strip();
            return this;
        }

        /** @throws IllegalArgumentException when k &gt; K */
        public TierCascade build() {
            Arguments.agreementWithinSamples(agreement, samples);
            return new TierCascade(this);
        }
    }
}
