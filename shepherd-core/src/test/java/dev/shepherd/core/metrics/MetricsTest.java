package dev.shepherd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final StrategyScore SLM = new StrategyScore("slm-only", 100, 73, 0, 0, 0);
    private static final StrategyScore LLM = new StrategyScore("llm-only", 100, 98, 0.104, 100, 0);
    private static final StrategyScore REACTIVE = new StrategyScore("reactive-shepherding", 1000, 891, 0.034, 400, 900);

    @Test
    void should_compute_cost_reduction_against_llm_only() {
        assertThat(Metrics.costReduction(0.034, 0.104)).isCloseTo(1 - 0.034 / 0.104, within(1e-15));
        assertThat(Metrics.costReduction(REACTIVE, LLM)).isCloseTo(0.673, within(1e-3));
        assertThat(Metrics.costReduction(0.2, 0.1)).isCloseTo(-1.0, within(1e-15));
    }

    @Test
    void should_compute_ace_from_scores() {
        // when
        double ace = Metrics.ace(REACTIVE, SLM, LLM);

        // then
        assertThat(ace).isCloseTo(((0.891 - 0.73) / (0.98 - 0.73)) / (0.034 / 0.104), within(1e-12));
        assertThat(Metrics.ace(LLM, SLM, LLM)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void should_exclude_the_slm_only_baseline_from_ace() {
        assertThatThrownBy(() -> Metrics.ace(SLM, SLM, LLM)).hasMessageContaining("SLM-only");
        StrategyScore sameName = new StrategyScore("slm-only", 10, 7, 0.01, 1, 0);
        assertThatThrownBy(() -> Metrics.ace(sameName, SLM, LLM)).hasMessageContaining("slm-only");
    }

    @Test
    void should_reject_ace_without_an_accuracy_gap_or_with_zero_costs() {
        assertThatThrownBy(() -> Metrics.ace(0.8, 0.1, 0.7, 0.7, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("largeAccuracy equals smallAccuracy");
        assertThatThrownBy(() -> Metrics.ace(0.8, 0.1, 0.7, 0.9, 0.0)).hasMessageContaining("largeCostUsd is 0");
        assertThatThrownBy(() -> Metrics.ace(0.8, 0.0, 0.7, 0.9, 0.1)).hasMessageContaining("costUsd is 0");
        assertThatThrownBy(() -> Metrics.ace(Double.NaN, 0.1, 0.7, 0.9, 0.1)).hasMessageContaining("accuracy");
        assertThatThrownBy(() -> Metrics.ace(0.8, -0.1, 0.7, 0.9, 0.1)).hasMessageContaining("costUsd");
        assertThatThrownBy(() -> Metrics.costReduction(0.1, 0)).hasMessageContaining("largeOnlyCostUsd");
    }

    @Test
    void should_find_the_cheapest_point_reaching_ninety_percent_of_llm_accuracy() {
        // given: a threshold sweep of one strategy; 0.9 · 0.98 = 0.882
        List<OperatingPoint> curve = List.of(
                new OperatingPoint("t=0.9", 0.010, 0.80),
                new OperatingPoint("t=0.5", 0.030, 0.885),
                new OperatingPoint("t=0.4", 0.030, 0.890),
                new OperatingPoint("t=0.3", 0.050, 0.95),
                new OperatingPoint("t=0.1", 0.020, 0.881));

        // when
        OperatingPoint p = Metrics.minimumCostToReach(curve, 0.9, 0.98).orElseThrow();

        // then
        assertThat(p.label()).isEqualTo("t=0.4");
    }

    @Test
    void should_count_a_point_exactly_at_the_target() {
        List<OperatingPoint> curve = List.of(new OperatingPoint("exact", 0.02, 0.9 * 0.9));
        assertThat(Metrics.minimumCostToReach(curve, 0.9, 0.9)).isPresent();
    }

    @Test
    void should_report_no_point_when_the_curve_never_reaches_the_target() {
        List<OperatingPoint> curve = List.of(new OperatingPoint("a", 0.01, 0.5));
        assertThat(Metrics.minimumCostToReach(curve, 0.9, 0.98)).isEmpty();
        assertThat(Metrics.minimumCostToReach(List.of(), 0.9, 0.98)).isEmpty();
        assertThatThrownBy(() -> Metrics.minimumCostToReach(curve, 0, 0.98)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> Metrics.minimumCostToReach(curve, 1.1, 0.98)).hasMessageContaining("1.1");
    }
}
