package dev.shepherd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrategyScoreTest {

    @Test
    void should_derive_rates_and_add_up() {
        // given
        StrategyScore a = new StrategyScore("x", 4, 3, 0.5, 1, 10);
        StrategyScore b = new StrategyScore("x", 6, 2, 0.25, 3, 5);

        // when
        StrategyScore sum = a.plus(b);

        // then
        assertThat(sum).isEqualTo(new StrategyScore("x", 10, 5, 0.75, 4, 15));
        assertThat(sum.accuracy()).isEqualTo(0.5);
        assertThat(sum.largeCallRate()).isEqualTo(0.4);
        assertThat(sum.averageCostUsd()).isEqualTo(0.075);
        assertThat(sum.toOperatingPoint()).isEqualTo(new OperatingPoint("x", 0.75, 0.5));
    }

    @Test
    void should_report_zero_rates_when_empty() {
        StrategyScore empty = StrategyScore.empty("e");
        assertThat(empty.accuracy()).isZero();
        assertThat(empty.largeCallRate()).isZero();
        assertThat(empty.averageCostUsd()).isZero();
    }

    @Test
    void should_reject_inconsistent_counts_and_bad_costs() {
        assertThatThrownBy(() -> new StrategyScore("x", 2, 3, 0, 0, 0))
                .hasMessage("correct must be in [0, queries = 2] but was 3");
        assertThatThrownBy(() -> new StrategyScore("x", 2, 1, Double.NaN, 0, 0)).hasMessageContaining("costUsd");
        assertThatThrownBy(() -> new StrategyScore("x", 2, 1, -1, 0, 0)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new StrategyScore("x", 2, 1, 0, 3, 0)).hasMessageContaining("largeCalls");
        assertThatThrownBy(() -> new StrategyScore("x", 2, 1, 0, 0, -1)).hasMessageContaining("hintTokens");
        assertThatThrownBy(() -> new StrategyScore("x", -1, 0, 0, 0, 0)).hasMessageContaining("queries");
        assertThatThrownBy(() -> new OperatingPoint("p", 0.1, Double.NaN)).hasMessageContaining("accuracy");
    }
}
