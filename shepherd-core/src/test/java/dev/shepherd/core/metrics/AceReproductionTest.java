package dev.shepherd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Reproduces every ACE value of the paper's four result tables (docs/method.md#metrics) from the
 * table's own cost and accuracy cells with {@link Metrics#ace}.
 *
 * <p>Tolerance, derived rather than picked: costs are printed to 3 decimals of a dollar (true value
 * within ±0.0005), accuracies to 1 decimal of a percent (±0.05), ACE to 2 decimals (±0.005). ACE is
 * a ratio of functions that are each monotone in every one of its five inputs (C_π, A_π, C_l, A_l,
 * A_s) when the others are held fixed, so over the box of true values its extremes lie at the box's
 * 32 corners. A printed ACE is reproduced when it lies within the corners' [min, max] widened by its
 * own rounding of ±0.005. Every cell passes; none is excluded.
 */
class AceReproductionTest {

    private static final double COST_ROUNDING = 0.0005;
    private static final double ACCURACY_ROUNDING = 0.05;
    private static final double ACE_ROUNDING = 0.005;

    /** dataset, LLM cost, LLM accuracy, SLM accuracy, then (strategy, cost, accuracy, ACE) × 7. */
    private static final String TABLES = """
            GSM8K     | .104 | 98.0 | 73.0 | RouteLLM .065 88.1 .98 | GraphRouter .041 82.2 .93 | Proactive .036 80.9 .93 | FrugalGPT .047 86.7 1.21 | ABC .048 94.9 1.89 | Reactive .034 89.1 1.97 | Oracle .034 98.0 3.10
            CNK12     | .559 | 84.4 | 53.8 | RouteLLM .533 82.6 .99 | GraphRouter .513 81.7 .99 | Proactive .455 77.9 .97 | FrugalGPT .391 76.1 1.04 | ABC .470 81.3 1.07 | Reactive .324 76.0 1.25 | Oracle .306 84.4 1.83
            HumanEval | .023 | 83.5 | 48.8 | RouteLLM .017 76.2 1.07 | GraphRouter .020 78.0 .98 | Proactive .009 62.8 1.03 | FrugalGPT .021 82.9 1.08 | ABC .019 76.2 .94 | Reactive .013 76.2 1.42 | Oracle .014 83.5 1.63
            MBPP      | .025 | 74.2 | 65.2 | RouteLLM .006 67.0 .81 | GraphRouter .005 66.6 .76 | Proactive .006 67.0 .86 | FrugalGPT .011 69.6 1.10 | ABC .004 67.8 1.76 | Reactive .002 67.2 2.78 | Oracle .015 74.2 1.67
            """;

    record Cell(String dataset, String strategy, double largeCost, double largeAccuracy, double smallAccuracy,
                double cost, double accuracy, double reportedAce) {
        @Override
        public String toString() {
            return dataset + " " + strategy;
        }
    }

    static List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (String line : TABLES.strip().split("\n")) {
            String[] parts = line.split("\\|");
            String dataset = parts[0].strip();
            double cl = Double.parseDouble(parts[1].strip());
            double al = Double.parseDouble(parts[2].strip());
            double as = Double.parseDouble(parts[3].strip());
            for (int i = 4; i < parts.length; i++) {
                String[] f = parts[i].strip().split("\\s+");
                out.add(new Cell(dataset, f[0], cl, al, as, Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3])));
            }
        }
        return out;
    }

    static Stream<Arguments> everyCell() {
        return cells().stream().map(Arguments::of);
    }

    /** [min, max] of ACE over the 32 corners of the rounding box of a cell. */
    static double[] aceRange(Cell c) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int corner = 0; corner < 32; corner++) {
            double cost = c.cost() + sign(corner, 0) * COST_ROUNDING;
            double acc = c.accuracy() + sign(corner, 1) * ACCURACY_ROUNDING;
            double cl = c.largeCost() + sign(corner, 2) * COST_ROUNDING;
            double al = c.largeAccuracy() + sign(corner, 3) * ACCURACY_ROUNDING;
            double as = c.smallAccuracy() + sign(corner, 4) * ACCURACY_ROUNDING;
            double ace = Metrics.ace(acc, cost, as, al, cl);
            min = Math.min(min, ace);
            max = Math.max(max, ace);
        }
        return new double[] {min, max};
    }

    private static int sign(int corner, int bit) {
        return ((corner >> bit) & 1) == 0 ? -1 : 1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCell")
    void should_reproduce_the_papers_ace_from_its_cost_and_accuracy_cells(Cell c) {
        // when
        double ace = Metrics.ace(c.accuracy(), c.cost(), c.smallAccuracy(), c.largeAccuracy(), c.largeCost());
        double[] range = aceRange(c);

        // then
        assertThat(ace).isBetween(range[0], range[1]);
        assertThat(c.reportedAce())
                .as("%s: ACE from cells %.4f, possible [%.4f, %.4f]", c, ace, range[0], range[1])
                .isBetween(range[0] - ACE_ROUNDING, range[1] + ACE_ROUNDING);
    }

    @Test
    void should_cover_all_four_tables_of_seven_strategies() {
        assertThat(cells()).hasSize(28);
        assertThat(cells()).extracting(Cell::dataset).containsOnly("GSM8K", "CNK12", "HumanEval", "MBPP");
    }

    @Test
    void should_match_the_worked_example_of_reactive_shepherding_on_gsm8k() {
        // when: ((89.1 − 73.0) / (98.0 − 73.0)) / (0.034 / 0.104)
        double ace = Metrics.ace(89.1, 0.034, 73.0, 98.0, 0.104);

        // then
        assertThat(String.format(Locale.ROOT, "%.2f", ace)).isEqualTo("1.97");
    }

    @Test
    void should_tell_a_wrong_formula_apart_from_the_papers() {
        // given: plausible mistakes — accuracy ratio instead of the closed gap, or no cost normalisation
        List<DoubleBinaryOperator> wrong = List.of(
                (gapShare, costShare) -> gapShare * costShare,
                (gapShare, costShare) -> gapShare);

        // then: each mistake misses at least one printed ACE by more than the rounding allows
        for (DoubleBinaryOperator f : wrong) {
            boolean missesOne = cells().stream().anyMatch(c -> {
                double gap = (c.accuracy() - c.smallAccuracy()) / (c.largeAccuracy() - c.smallAccuracy());
                double v = f.applyAsDouble(gap, c.cost() / c.largeCost());
                double[] range = aceRange(c);
                return v < range[0] - ACE_ROUNDING || v > range[1] + ACE_ROUNDING;
            });
            assertThat(missesOne).isTrue();
        }
    }
}
