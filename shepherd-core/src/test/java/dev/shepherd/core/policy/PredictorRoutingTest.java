package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import dev.shepherd.core.testing.ShepherdingPolicyContract;
import org.junit.jupiter.api.Test;

class PredictorRoutingTest extends ShepherdingPolicyContract {

    @Override
    protected ShepherdingPolicy policy() {
        return PredictorRouting.builder().predictor(HintPredictor.constant(0.7, 3)).threshold(0.5).build();
    }

    @Override
    protected boolean callsSmallModel() {
        return false;
    }

    @Test
    void should_route_to_the_large_model_when_the_score_reaches_the_threshold() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "a b c d e f #### 2");

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(PredictorRouting.builder()
                .predictor(HintPredictor.constant(0.5, 3)).threshold(0.5).build(),
                small, large).answer(Query.of("q"));

        // then: a whole answer, never a hint, even though the predictor's hint size is small
        assertThat(r.decision()).isEqualTo(Decision.largeFull());
        assertThat(r.text()).isEqualTo("a b c d e f #### 2");
        assertThat(r.hint()).isNull();
        assertThat(small.calls()).isZero();
        assertThat(r.notes()).contains("p 0.500");
    }

    @Test
    void should_answer_with_the_small_model_below_the_threshold() {
        // given
        ScriptedGenerator small = ScriptedGenerator.replying("s", "#### 1");
        ScriptedGenerator large = ScriptedGenerator.replying("l", "#### 2");
        PolicyTestSupport.RecordingPredictor predictor = new PolicyTestSupport.RecordingPredictor(0.49, 300, java.util.Set.of());

        // when
        ShepherdResult r = PolicyTestSupport.shepherd(PredictorRouting.builder().predictor(predictor).threshold(0.5)
                .build(), small, large)
                .answer(Query.of("q"));

        // then
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(large.calls()).isZero();
        assertThat(predictor.seen).containsExactly(Features.none());
    }

    @Test
    void should_calibrate_the_threshold_as_the_quantile_at_one_minus_the_share_like_numpy() {
        // given
        double[] scores = {0.5, 0.1, 0.4, 0.2, 0.3};

        // when / then: np.quantile([.1,.2,.3,.4,.5], 0.7) = 0.38, np.quantile(..., 0.75) = 0.4
        assertThat(PredictorRouting.calibrateThreshold(scores, 0.3)).isCloseTo(0.38, within(1e-12));
        assertThat(PredictorRouting.calibrateThreshold(scores, 0.25)).isCloseTo(0.4, within(1e-12));
        assertThat(PredictorRouting.calibrateThreshold(scores, 0.0)).isEqualTo(0.5);
        assertThat(PredictorRouting.calibrateThreshold(scores, 1.0)).isEqualTo(0.1);
        assertThat(scores).containsExactly(0.5, 0.1, 0.4, 0.2, 0.3);
    }

    @Test
    void should_route_the_target_share_of_the_reference_set_to_the_large_model() {
        // given
        double[] scores = new double[100];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (i * 37 % 100) / 100.0;
        }

        // when
        double t = PredictorRouting.calibrateThreshold(scores, 0.2);

        // then
        long routed = java.util.Arrays.stream(scores).filter(s -> s >= t).count();
        assertThat(routed).isEqualTo(20);
    }

    @Test
    void should_reject_bad_thresholds_shares_and_scores() {
        assertThatThrownBy(() -> PredictorRouting.builder().predictor(HintPredictor.constant(0, 0)).threshold(1.5)
                .build())
                .hasMessage("threshold must be in [0, 1] but was 1.5");
        assertThatThrownBy(() -> PredictorRouting.builder().predictor(HintPredictor.constant(0, 0))
                .threshold(Double.NaN).build())
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> PredictorRouting.calibrateThreshold(new double[0], 0.5))
                .hasMessageContaining("scores");
        assertThatThrownBy(() -> PredictorRouting.calibrateThreshold(new double[] {0.1}, -0.1))
                .hasMessageContaining("targetLargeShare");
        assertThatThrownBy(() -> PredictorRouting.calibrateThreshold(new double[] {Double.NaN}, 0.1))
                .hasMessageContaining("finite");
    }
}
