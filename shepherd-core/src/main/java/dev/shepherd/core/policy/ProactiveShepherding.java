package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import java.util.List;
import java.util.Objects;

/**
 * Proactive shepherding (SHEPHERDING.md §5): the predictor sees the query alone, before any
 * small-model call, and the {@link HintDecisionRule} picks small model, hint of π(q) tokens, or
 * the large model. Adds only the predictor's latency. Immutable and thread-safe.
 */
public final class ProactiveShepherding implements ShepherdingPolicy {

    private final HintPredictor predictor;
    private final HintDecisionRule rule;

    private ProactiveShepherding(HintPredictor predictor, HintDecisionRule rule) {
        this.predictor = predictor;
        this.rule = rule;
    }

    /**
     * Proactive shepherding with a predictor and its decision rule.
     *
     * @throws dev.shepherd.core.hint.PredictorMismatchException when the predictor needs features beyond the query
     */
    public static ProactiveShepherding of(HintPredictor predictor, HintDecisionRule rule) {
        Objects.requireNonNull(predictor, "predictor");
        dev.shepherd.core.hint.PredictorMismatchException.check("proactive-shepherding", predictor, java.util.Set.of());
        return new ProactiveShepherding(predictor, Objects.requireNonNull(rule, "rule"));
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
        List<String> notes = new java.util.ArrayList<>(out.notes());
        notes.add(note);
        return new PolicyOutcome(out.answer(), out.decision(), out.hint(), notes);
    }
}
