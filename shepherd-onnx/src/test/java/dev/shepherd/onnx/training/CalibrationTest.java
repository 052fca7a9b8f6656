package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.PredictorUse;
import dev.shepherd.onnx.SharedEncoder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    static final CostModel COSTS = CostModel.localSmall(TokenPrices.paperLlama70b());
    static final List<String> REACTIVE = List.of(Features.QUERY_LENGTH, Features.MEAN_ENTROPY,
            Features.MEAN_OUTPUT_LENGTH);
    static List<LabelRecord> validation;
    static Calibration calibration;

    @BeforeAll
    static void trainAndPredict() {
        TrainedPredictor p = PredictorTrainer.builder(SharedEncoder.get()).featureNames(REACTIVE)
                .seed(5).maxEpochs(25).build().train(Synthetic.examples(60, 3));
        validation = Synthetic.records(40, 77);
        calibration = Calibration.builder().records(validation).predictor(p).costModel(COSTS).build();
    }

    @Test
    void should_replay_a_hint_with_the_largest_recorded_level_not_longer_than_it() {
        // given: full answer 100 tokens, levels 0, 10, 20, 30 (passes at 30)
        LabelRecord r = Synthetic.record("r", "q", 100, 30, 0.5, 100);

        // when
        double[] at25 = DecisionSimulator.simulate(r, Decision.hint(25), COSTS);
        double[] at30 = DecisionSimulator.simulate(r, Decision.hint(30), COSTS);
        double[] at80 = DecisionSimulator.simulate(r, Decision.hint(80), COSTS);
        double[] full = DecisionSimulator.simulate(r, Decision.largeFull(), COSTS);
        double[] alone = DecisionSimulator.simulate(r, Decision.smallOnly(), COSTS);

        // then
        assertThat(at25[0]).isZero();
        assertThat(at30[0]).isEqualTo(1.0);
        assertThat(at80[0]).isEqualTo(1.0);
        long q = r.largeFull().inputTokens();
        assertThat(at30[1]).isCloseTo(TokenPrices.paperLlama70b().cost(q, 30), within(1e-15));
        assertThat(at80[1]).isCloseTo(TokenPrices.paperLlama70b().cost(q, 80), within(1e-15));
        assertThat(full[1]).isCloseTo(TokenPrices.paperLlama70b().cost(q, 100), within(1e-15));
        assertThat(alone).containsExactly(0.0, 0.0);
    }

    @Test
    void should_reach_the_accuracy_floor_for_less_than_the_llm() {
        // given
        CalibrationResult llm = calibration.largeOnly();
        double floor = 0.9 * llm.accuracy();

        // when
        CalibrationResult best = calibration.minimiseCost(floor);

        // then
        assertThat(best.accuracy()).isGreaterThanOrEqualTo(floor);
        assertThat(best.meanCost()).isLessThan(llm.meanCost());
        assertThat(best.hintShare()).isPositive();
        for (CalibrationResult r : calibration.sweep()) {
            if (r.accuracy() >= floor) {
                assertThat(r.meanCost()).isGreaterThanOrEqualTo(best.meanCost());
            }
        }
    }

    @Test
    void should_maximise_accuracy_under_a_cost_target() {
        // given
        double target = 0.5 * calibration.largeOnly().meanCost();

        // when
        CalibrationResult best = calibration.maximiseAccuracy(target);

        // then
        assertThat(best.meanCost()).isLessThanOrEqualTo(target);
        assertThat(best.accuracy()).isGreaterThan(calibration.smallOnly().accuracy());
        for (CalibrationResult r : calibration.sweep()) {
            if (r.meanCost() <= target) {
                assertThat(r.accuracy()).isLessThanOrEqualTo(best.accuracy());
            }
        }
    }

    @Test
    void should_say_how_close_it_came_when_the_floor_is_unreachable() {
        // given: predictions that never ask for help
        List<HintPrediction> never = validation.stream().map(r -> HintPrediction.of(0, 0)).toList();
        Calibration c = Calibration.builder().records(validation).predictions(never).costModel(COSTS)
                .alphaGrid(0.5).etaGrid(8).build();

        // when / then
        assertThatThrownBy(() -> c.minimiseCost(0.99))
                .isInstanceOf(CalibrationException.class).hasMessageContaining("0.99").hasMessageContaining("reaches");
    }

    @Test
    void should_evaluate_the_papers_rule() {
        // when
        CalibrationResult r = calibration.evaluate(HintDecisionRule.paperGsm8k());

        // then
        assertThat(r.smallShare() + r.hintShare() + r.largeShare()).isCloseTo(1.0, within(1e-12));
        assertThat(r.accuracy()).isBetween(0.0, 1.0);
    }

    @Test
    void should_replay_the_agreement_gate_from_the_recorded_samples_for_reactive_use() {
        // given: easy records' three samples agree on the right answer, hard records' disagree and are wrong
        List<HintPrediction> neverHelp = validation.stream().map(r -> HintPrediction.of(0.0, 0)).toList();
        List<HintPrediction> alwaysFull = validation.stream().map(r -> HintPrediction.of(1.0, 1000)).toList();
        double easy = validation.stream().filter(r -> r.nStar() == 0).count() / (double) validation.size();

        // when
        CalibrationResult gateOnly = Calibration.builder().records(validation).predictions(neverHelp).costModel(COSTS)
                .use(PredictorUse.REACTIVE).build().evaluate(new HintDecisionRule(0.5, 8, 512), 3);
        CalibrationResult cascade = Calibration.builder().records(validation).predictions(alwaysFull)
                .costModel(COSTS).use(PredictorUse.REACTIVE).build().evaluate(new HintDecisionRule(0.5, 8, 512), 3);

        // then: agreeing records are answered free; a disagreeing one is the plurality sample or the full answer
        assertThat(gateOnly.accuracy()).isCloseTo(easy, within(1e-12));
        assertThat(gateOnly.meanCost()).isZero();
        assertThat(gateOnly.smallShare()).isEqualTo(1.0);
        assertThat(cascade.accuracy()).isEqualTo(1.0);
        assertThat(cascade.largeShare()).isCloseTo(1 - easy, within(1e-12));
        assertThat(cascade.agreement()).isEqualTo(3);
    }

    @Test
    void should_refuse_reactive_calibration_on_records_without_samples() {
        LabelRecord r = Synthetic.record("r", "q", 100, 30, 0.5, 100);
        LabelRecord bare = new LabelRecord(r.id(), r.dataset(), r.query(), r.gold(), r.largeFull(), r.levels(),
                r.features(), r.nStar(), r.nStarPercent(), r.keep());

        assertThatThrownBy(() -> Calibration.builder().records(List.of(bare)).predictions(List.of(HintPrediction.of(1,
                1))).costModel(COSTS).use(PredictorUse.REACTIVE).build())
                .isInstanceOf(DataFormatException.class).hasMessageContaining("'r'").hasMessageContaining("--samples");
    }

    @Test
    void should_state_the_monotone_assumption_when_labels_stopped_at_the_first_passing_level() {
        assertThat(calibration.assumptions()).singleElement().asString().contains("longer hints are assumed never "
                + "to hurt", "--all-levels");
    }

    @Test
    void should_keep_the_floor_with_a_margin_and_choose_a_hint_scale() {
        // when
        CalibrationResult plain = calibration.minimiseCost(0.9, 0);
        CalibrationResult safe = calibration.minimiseCost(0.9, 1.0);

        // then: the margin costs at least as much and is at least as accurate
        assertThat(plain.accuracy()).isGreaterThanOrEqualTo(0.9 * calibration.largeOnly().accuracy() - 1e-12);
        assertThat(safe.meanCost()).isGreaterThanOrEqualTo(plain.meanCost() - 1e-15);
        assertThat(List.of(1.0, 1.5, 2.0, 3.0)).contains(safe.rule().hintScale());
    }
}
