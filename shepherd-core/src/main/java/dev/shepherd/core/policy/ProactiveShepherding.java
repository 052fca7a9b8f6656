package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.hint.PredictorMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Proactive shepherding (docs/method.md#proactive-and-reactive-shepherding): the predictor sees
 * the query alone, before any small-model call, and the {@link HintDecisionRule} picks small
 * model, hint of π(q) tokens, or the large model. Adds only the predictor's latency. Immutable and
 * thread-safe.
 */
public final class ProactiveShepherding implements ShepherdingPolicy {

    private final HintPredictor predictor;
    private final HintDecisionRule rule;

    private ProactiveShepherding(Builder b) {
        this.predictor = b.predictor;
        this.rule = b.rule;
    }

    /** A builder with the paper's GSM8K rule; the predictor is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "proactive-shepherding";
    }

    /** α, η_hint and N_max. */
    public HintDecisionRule rule() {
        return rule;
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        HintPrediction p = predictor.predict(query, Features.none());
        Decision decision = rule.decide(p);
        PolicyOutcome out = context.execute(query, decision);
        return p.queryTruncated() ? withNote(out, "query-truncated-for-predictor") : out;
    }

    static PolicyOutcome withNote(PolicyOutcome out, String note) {
        List<String> notes = new ArrayList<>(out.notes());
        notes.add(note);
        return new PolicyOutcome(out.answer(), out.decision(), out.hint(), notes);
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private HintPredictor predictor;
        private HintDecisionRule rule = HintDecisionRule.paperGsm8k();

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

        /**
         * @throws IllegalStateException when no predictor was set
         * @throws PredictorMismatchException when the predictor needs features beyond the query
         */
        public ProactiveShepherding build() {
            Arguments.required(predictor != null, "predictor");
            PredictorMismatchException.check("proactive-shepherding", predictor, Set.of());
            return new ProactiveShepherding(this);
        }
    }
}
