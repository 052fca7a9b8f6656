package dev.shepherd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.metrics.RoutingMetrics.GapPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each metric on a tiny example computed by hand (docs/metrics.md): floor A_s = 0.6 at C_s = $1, reference
 * A_l = 0.8 at C_l = $5.
 */
class RoutingMetricsTest {

    private static final double AS = 0.6;
    private static final double AL = 0.8;

    /** A router's sweep: (share of queries on the reference, accuracy) = (0, .6), (.25, .7), (.5, .76), (1, .8). */
    private static final List<GapPoint> SWEEP = List.of(point(0, 0.6), point(0.25, 0.7), point(0.5, 0.76),
            point(1, 0.8));

    private static GapPoint point(double share, double accuracy) {
        return new GapPoint(share, RoutingMetrics.pgr(accuracy, AS, AL));
    }

    @Test
    void should_compute_pgr_as_the_share_of_the_gap_closed() {
        assertThat(RoutingMetrics.pgr(0.7, AS, AL)).isCloseTo(0.5, within(1e-12));
        assertThat(RoutingMetrics.pgr(0.9, AS, AL)).isCloseTo(1.5, within(1e-12));
        assertThat(RoutingMetrics.pgr(0.5, AS, AL)).isCloseTo(-0.5, within(1e-12));
        assertThatThrownBy(() -> RoutingMetrics.pgr(0.7, 0.6, 0.6)).hasMessageContaining("no gap");
    }

    @Test
    void should_compute_apgr_as_the_area_under_the_gap_curve() {
        // PGRs 0, .5, .8, 1: trapezoids .25·(0+.5)/2 + .25·(.5+.8)/2 + .5·(.8+1)/2 = .0625 + .1625 + .45
        assertThat(RoutingMetrics.apgr(SWEEP)).isCloseTo(0.675, within(1e-12));
        // random routing: the straight line from (0, 0) to (1, 1)
        assertThat(RoutingMetrics.apgr(List.of(new GapPoint(0.5, 0.5)))).isCloseTo(0.5, within(1e-12));
        // the floor alone and the reference alone are the anchors themselves
        assertThat(RoutingMetrics.apgr(List.of(new GapPoint(1, 1)))).isCloseTo(0.5, within(1e-12));
        // one point above the reference: (0, 0) – (.2, 1.5) – (1, 1): .2·1.5/2 + .8·(1.5+1)/2 = .15 + 1.0
        assertThat(RoutingMetrics.apgr(List.of(point(0.2, 0.9)))).isCloseTo(1.15, within(1e-12));
    }

    @Test
    void should_compute_cpt_as_the_first_reference_share_reaching_the_target() {
        assertThat(RoutingMetrics.cpt(SWEEP, 0.5).getAsDouble()).isCloseTo(0.25, within(1e-12));
        assertThat(RoutingMetrics.cpt(SWEEP, 0.8).getAsDouble()).isCloseTo(0.5, within(1e-12));
        // between (.25, .5) and (.5, .8): .25 + (.65 − .5)/(.8 − .5) · .25
        assertThat(RoutingMetrics.cpt(SWEEP, 0.65).getAsDouble()).isCloseTo(0.375, within(1e-12));
        // random routing needs x = p
        assertThat(RoutingMetrics.cpt(List.of(new GapPoint(0.5, 0.5)), 0.8).getAsDouble()).isCloseTo(0.8, within(1e-12));
        // one point (.2, 1.5): reaches .5 a third of the way along (0, 0) – (.2, 1.5)
        List<GapPoint> oracle = List.of(point(0.2, 0.9));
        assertThat(RoutingMetrics.cpt(oracle, 0.5).getAsDouble()).isCloseTo(0.2 / 3, within(1e-12));
        assertThat(RoutingMetrics.cpt(oracle, 1.6)).isEmpty();
        // a strategy closing half the gap without the reference model: CPT(50 %) = 0
        assertThat(RoutingMetrics.cpt(List.of(point(0, 0.7)), 0.5).getAsDouble()).isZero();
    }

    @Test
    void should_keep_the_best_point_at_equal_share() {
        // two points at x = .5 (PGR .2 and .8): the curve keeps .8
        List<GapPoint> points = List.of(new GapPoint(0.5, 0.2), new GapPoint(0.5, 0.8));
        assertThat(RoutingMetrics.apgr(points)).isCloseTo(0.5 * 0.8 / 2 + 0.5 * (0.8 + 1) / 2, within(1e-12));
    }

    @Test
    void should_compute_ibc_lift_against_the_floor_to_reference_line() {
        // base: (.8 − .6)/($5 − $1) = .05 per dollar; the strategy: (.7 − .6)/($2 − $1) = .1 → lift .1/.05 − 1 = 1
        assertThat(RoutingMetrics.ibcLift(0.7, 2, AS, 1, AL, 5).getAsDouble()).isCloseTo(1.0, within(1e-12));
        // on the line: lift 0
        assertThat(RoutingMetrics.ibcLift(0.7, 3, AS, 1, AL, 5).getAsDouble()).isCloseTo(0.0, within(1e-12));
        assertThat(RoutingMetrics.ibcLift(AL, 5, AS, 1, AL, 5).getAsDouble()).isCloseTo(0.0, within(1e-12));
        // no dearer than the floor: undefined
        assertThat(RoutingMetrics.ibcLift(0.7, 1, AS, 1, AL, 5)).isEmpty();
        assertThat(RoutingMetrics.ibcLift(0.7, 2, AS, 1, AS, 5)).isEmpty();
    }

    @Test
    void should_equal_ace_minus_one_with_a_free_floor() {
        double ace = Metrics.ace(0.7, 2, AS, AL, 5);
        assertThat(RoutingMetrics.ibcLift(0.7, 2, AS, 0, AL, 5).getAsDouble()).isCloseTo(ace - 1, within(1e-12));
    }

    @Test
    void should_reject_shares_outside_zero_one() {
        assertThatThrownBy(() -> new GapPoint(1.2, 0)).hasMessageContaining("referenceShare");
        assertThatThrownBy(() -> new GapPoint(0.2, Double.NaN)).hasMessageContaining("pgr");
    }
}
