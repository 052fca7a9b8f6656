package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.CurvePoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlotWriterTest {

    @Test
    void should_thin_a_long_sweep_to_evenly_spaced_points_keeping_both_ends() {
        // given
        List<CurvePoint> curve = new ArrayList<>();
        for (int i = 0; i <= 857; i++) {
            curve.add(new CurvePoint(i / 857.0, i / 1000.0, i, i));
        }
        // when
        List<CurvePoint> thin = PlotWriter.decimate(curve, PlotWriter.MAX_CURVE_POINTS);
        // then
        assertThat(thin).hasSize(100);
        assertThat(thin.get(0)).isSameAs(curve.get(0));
        assertThat(thin.get(99)).isSameAs(curve.get(857));
        assertThat(thin).isSortedAccordingTo((a, b) -> Double.compare(a.costUsd(), b.costUsd()));
        assertThat(PlotWriter.decimate(curve.subList(0, 5), 100)).hasSize(5);
    }

    @Test
    void should_round_path_and_transform_numbers_only() {
        // given
        String svg = "<svg version=\"1.1\"><g transform=\"translate(21.046875 338.5)\">"
                + "<path d=\"M9.375,-0.5625 Q8.65625,-0.03125 7.859375,-0 L4,2\" style=\"opacity:0.125\"/></g></svg>";
        // when
        String rounded = PlotWriter.roundGeometry(svg);
        // then
        assertThat(rounded).isEqualTo("<svg version=\"1.1\"><g transform=\"translate(21 338.5)\">"
                + "<path d=\"M9.4,-0.6 Q8.7,0 7.9,-0 L4,2\" style=\"opacity:0.125\"/></g></svg>");
    }
}
