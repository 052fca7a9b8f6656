package dev.shepherd.core.policy;

import static dev.shepherd.core.policy.TierTestSupport.ladder;
import static dev.shepherd.core.policy.TierTestSupport.shepherd;
import static dev.shepherd.core.policy.TierTestSupport.tiersCalled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class TierShepherdingTest extends ShepherdingPolicyContract {

    private static final HintDecisionRule RULE = new HintDecisionRule(0.5, 8, 16);

    @Override
    protected ShepherdingPolicy policy() {
        return TierShepherding.builder().predictor(HintPredictor.constant(0.9, 4)).rule(RULE).build();
    }

    private final ScriptedGenerator local = ScriptedGenerator.answering("l",
            req -> req.messages().toString().contains("Hint") ? "hinted #### 5" : "alone #### 4");
    private final ScriptedGenerator mid = ScriptedGenerator.replying("m",
            "mid reasons at length about the problem and then concludes #### 5");
    private final ScriptedGenerator top = ScriptedGenerator.replying("t",
            "top reasons at length about the problem and then concludes #### 5");

    private ShepherdResult run(TierShepherding policy) {
        return shepherd(policy, ladder(local, mid, top), FailureMode.STRICT, CostLedger.create())
                .answer(Query.of("q"));
    }

    @Test
    void should_buy_the_hint_from_the_tier_above_the_answerer_by_default() {
        // when
        ShepherdResult r = run(TierShepherding.builder().predictor(HintPredictor.constant(0.9, 4)).rule(RULE)
                .build());

        // then
        assertThat(r.decision()).isEqualTo(Decision.hint(4));
        assertThat(tiersCalled(r)).containsExactly("mid", "local");
        assertThat(r.calls().get(0).purpose()).isEqualTo(CallPurpose.HINT);
        assertThat(r.calls().get(0).outputTokens()).isEqualTo(4);
        assertThat(r.answeredBy().tier()).isEqualTo("local");
        assertThat(top.calls()).isZero();
    }

    @Test
    void should_buy_the_hint_from_the_top_when_asked() {
        // when
        ShepherdResult r = run(TierShepherding.builder().predictor(HintPredictor.constant(0.9, 4)).rule(RULE)
                .hintsFrom(TierShepherding.HintSource.TOP).build());

        // then
        assertThat(tiersCalled(r)).containsExactly("top", "local");
        assertThat(mid.calls()).isZero();
    }

    @Test
    void should_let_a_middle_tier_answer_alone_when_no_hint_is_needed() {
        // when
        ShepherdResult r = run(TierShepherding.builder().predictor(HintPredictor.constant(0.1, 4)).rule(RULE)
                .answerer(1).build());

        // then
        assertThat(tiersCalled(r)).containsExactly("mid");
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
    }
}
