package dev.shepherd.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.policy.ConfidenceCalibration.Result;
import dev.shepherd.core.policy.ConfidenceCalibration.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfidenceCalibrationTest {

    // Confidence is informative: the small model is right at 0.9 and 0.8, wrong at 0.6 and 0.3;
    // the large model is wrong once (at 0.6).
    private static final List<Sample> VALIDATION = List.of(
            new Sample(0.9, true, true), new Sample(0.8, true, true),
            new Sample(0.6, false, false), new Sample(0.3, false, true));

    @Test
    void should_sweep_every_distinct_confidence_plus_never_and_always_defer() {
        // when
        List<Result> sweep = ConfidenceCalibration.sweep(VALIDATION);

        // then
        assertThat(sweep).extracting(Result::threshold).containsExactly(0.0, 0.3, 0.6, 0.8, 0.9, Math.nextUp(0.9));
        assertThat(sweep.get(0).accuracy()).isEqualTo(0.5);
        assertThat(sweep.get(0).largeShare()).isZero();
        assertThat(sweep.get(2).accuracy()).isEqualTo(0.75);
        assertThat(sweep.get(2).largeShare()).isEqualTo(0.25);
        assertThat(sweep.get(5).largeShare()).isEqualTo(1.0);
        assertThat(sweep.get(5).accuracy()).isEqualTo(0.75);
    }

    @Test
    void should_pick_the_fewest_llm_calls_that_reach_the_accuracy_floor() {
        // when
        Result r = ConfidenceCalibration.minimizeLargeCalls(VALIDATION, 0.75).orElseThrow();

        // then: deferring only the 0.3 query reaches 75 %; deferring more adds calls for nothing
        assertThat(r.threshold()).isEqualTo(0.6);
        assertThat(r.largeShare()).isEqualTo(0.25);
    }

    @Test
    void should_report_no_threshold_when_the_floor_is_unreachable() {
        assertThat(ConfidenceCalibration.minimizeLargeCalls(VALIDATION, 0.9)).isEmpty();
    }

    @Test
    void should_maximise_accuracy_under_a_target_llm_share() {
        // when
        Result none = ConfidenceCalibration.maximizeAccuracy(VALIDATION, 0.0);
        Result half = ConfidenceCalibration.maximizeAccuracy(VALIDATION, 0.5);

        // then
        assertThat(none.threshold()).isZero();
        assertThat(none.accuracy()).isEqualTo(0.5);
        assertThat(half.accuracy()).isEqualTo(0.75);
        assertThat(half.largeShare()).isEqualTo(0.25);
    }

    @Test
    void should_assume_the_large_model_right_for_two_argument_samples() {
        // when
        Result r = ConfidenceCalibration.minimizeLargeCalls(List.of(Sample.of(0.2, false), Sample.of(0.7, true)), 1.0)
                .orElseThrow();

        // then
        assertThat(r.threshold()).isCloseTo(0.7, within(1e-12));
        assertThat(r.accuracy()).isEqualTo(1.0);
    }

    @Test
    void should_reject_empty_sets_and_out_of_range_values() {
        assertThatThrownBy(() -> ConfidenceCalibration.sweep(List.of())).hasMessageContaining("validation");
        assertThatThrownBy(() -> new Sample(1.5, true, true)).hasMessage("confidence must be in [0, 1] but was 1.5");
        assertThatThrownBy(() -> ConfidenceCalibration.maximizeAccuracy(VALIDATION, 2))
                .hasMessageContaining("maxLargeShare");
        assertThatThrownBy(() -> ConfidenceCalibration.minimizeLargeCalls(VALIDATION, Double.NaN))
                .hasMessageContaining("accuracyFloor");
    }
}
