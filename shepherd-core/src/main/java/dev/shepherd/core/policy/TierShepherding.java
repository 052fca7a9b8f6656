package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.PredictorMismatchException;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.tier.Tiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Shepherding on a ladder: one tier answers ({@link Builder#answerer(int)}, the bottom by default)
 * and the hint comes from the tier above it ({@link HintSource#NEXT}, the default) or from the top
 * ({@link HintSource#TOP}), sized by the paper's predictor and {@link HintDecisionRule} exactly as
 * {@link ProactiveShepherding}: no hint → the answerer alone; {@code HINT(n)} → an n-token prefix of the
 * hinting tier's answer, then the answerer finishes (a hint that came back complete is the answer);
 * {@code LARGE_FULL} → the hinting tier answers in full. With the bottom answering on a two-model
 * executor this is {@link ProactiveShepherding}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TierShepherding implements ShepherdingPolicy {

    /** Where the hint comes from. */
    public enum HintSource {
        /** The tier just above the answerer. */
        NEXT,
        /** The top tier (the large model), through the executor's hint provider. */
        TOP
    }

    private final HintPredictor predictor;
    private final HintDecisionRule rule;
    private final int answerer;
    private final HintSource source;

    private TierShepherding(Builder b) {
        this.predictor = b.predictor;
        this.rule = b.rule;
        this.answerer = b.answerer;
        this.source = b.source;
    }

    /** A builder; the predictor is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "tier-shepherding";
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        Tiers tiers = context.tiers();
        int top = tiers.size() - 1;
        if (answerer >= top) {
            throw new IllegalStateException("tier-shepherding's answerer must be below the top tier (" + top
                    + ") but was " + answerer);
        }
        int helper = source == HintSource.TOP ? top : answerer + 1;
        HintPrediction p = predictor.predict(query, Features.none());
        Decision decision = rule.decide(p);
        List<String> notes = new ArrayList<>();
        notes.add("answerer " + tiers.get(answerer).name() + ", hints from " + tiers.get(helper).name());
        if (p.queryTruncated()) {
            notes.add("query-truncated-for-predictor");
        }
        switch (decision.kind()) {
            case SMALL_ONLY:
                return new PolicyOutcome(answer(query, context, null), answerer == 0 ? decision : Decision.largeFull(),
                        null, notes);
            case LARGE_FULL:
                return new PolicyOutcome(context.tier(helper, request(query, context, null), CallPurpose.ANSWER),
                        decision, null, notes);
            default:
                Hint hint = context.hint(helper, query, decision.hintTokens());
                Completion src = hint.source();
                if (src != null && src.finishReason() == FinishReason.STOP) {
                    notes.add("hint-was-complete");
                    return new PolicyOutcome(src, decision, hint, notes);
                }
                if (hint.text().isBlank()) {
                    notes.add("hint-was-blank");
                    return new PolicyOutcome(answer(query, context, null), Decision.smallOnly(), null, notes);
                }
                return new PolicyOutcome(answer(query, context, hint), decision, hint, notes);
        }
    }

    /** The answerer's answer, with the hint placed as the executor says (the bottom tier) or in the prompt. */
    private Completion answer(Query query, PolicyContext context, Hint hint) {
        if (answerer == 0) {
            return context.answerSmall(query, hint);
        }
        return context.tier(answerer, request(query, context, hint), CallPurpose.ANSWER);
    }

    private static GenerationRequest request(Query query, PolicyContext context, Hint hint) {
        return GenerationRequest.builder()
                .messages(context.template().messages(query, hint == null ? null : hint.text()))
                .sampling(context.sampling())
                .build();
    }

    @Override
    public String toString() {
        return "TierShepherding[answerer=" + answerer + ", hints=" + source + ", rule=" + rule + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private HintPredictor predictor;
        private HintDecisionRule rule = HintDecisionRule.paperGsm8k();
        private int answerer;
        private HintSource source = HintSource.NEXT;

        private Builder() {
        }

        /** The two-stage predictor; it sees the query alone. Required. */
        public Builder predictor(HintPredictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /** α, η_hint and N_max; {@link HintDecisionRule#paperGsm8k()} by default. */
        public Builder rule(HintDecisionRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** The index of the tier that answers, below the top; 0 (the bottom) by default. */
        public Builder answerer(int tier) {
            this.answerer = Arguments.atLeast("answerer", tier, 0);
            return this;
        }

        /** Where hints come from; {@link HintSource#NEXT} by default. */
        public Builder hintsFrom(HintSource source) {
            this.source = Objects.requireNonNull(source, "hintsFrom");
            return this;
        }

        /**
         * @throws IllegalStateException when no predictor was set
         * @throws PredictorMismatchException when the predictor needs features beyond the query
         */
        public TierShepherding build() {
            Arguments.required(predictor != null, "predictor");
            PredictorMismatchException.check("tier-shepherding", predictor, Set.of());
            return new TierShepherding(this);
        }
    }
}
