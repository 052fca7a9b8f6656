package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.CurvePoint;
import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.StrategyResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws the cost-vs-accuracy plot (XChart) as PNG and SVG: one point per single-point strategy, one curve (with its
 * operating point) per strategy with a knob, and a dashed line at 90 % of LLM accuracy. Needs a headless AWT
 * ({@code -Djava.awt.headless=true}), which it sets when unset. Stateless and thread-safe.
 */
public final class PlotWriter {

    /** File name (without extension) of the plot inside a report directory. */
    public static final String NAME = "cost_vs_accuracy";

    /** One colour per strategy, its curve and its operating point alike (colour-blind-safe Okabe–Ito). */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xD55E00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

    private PlotWriter() {
    }

    /**
     * Writes {@code NAME.png} and {@code NAME.svg} into {@code dir}.
     *
     * @param report the report
     * @param dir an existing directory
     * @throws IOException when a file cannot be written
     */
    public static void write(EvalReport report, Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = chart(report);
        BitmapEncoder.saveBitmapWithDPI(chart, dir.resolve(NAME + ".png").toString(), BitmapEncoder.BitmapFormat.PNG, 144);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(NAME + ".svg").toString(),
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    static XYChart chart(EvalReport report) {
        XYChart chart = new XYChartBuilder().width(1000).height(640)
                .title("Cost vs accuracy: " + shortName(report.dataset()) + " (" + report.queries() + " queries)")
                .xAxisTitle("total cost (USD), tokens: " + report.tokenizer()).yAxisTitle("accuracy (%)").build();
        var s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        s.setMarkerSize(9);
        chart.getStyler().setDecimalPattern("#0.0###");
        double maxCost = 0;
        int i = 0;
        for (StrategyResult r : report.strategies()) {
            Color color = PALETTE[i++ % PALETTE.length];
            maxCost = Math.max(maxCost, r.costUsd());
            for (CurvePoint p : r.curve()) {
                maxCost = Math.max(maxCost, p.costUsd());
            }
            if (!r.curve().isEmpty()) {
                List<CurvePoint> c = r.curve();
                XYSeries line = chart.addSeries(r.name() + " sweep", c.stream().mapToDouble(CurvePoint::costUsd).toArray(),
                        c.stream().mapToDouble(p -> 100 * p.accuracy()).toArray());
                line.setMarker(SeriesMarkers.NONE);
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                line.setLineColor(color);
            }
            XYSeries point = chart.addSeries(r.name(), new double[] {r.costUsd()}, new double[] {100 * r.accuracy()});
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            point.setMarkerColor(color);
        }
        double target = 100 * report.scores().targetAccuracy();
        XYSeries t = chart.addSeries("90% of LLM acc.", new double[] {0, maxCost > 0 ? maxCost : 1},
                new double[] {target, target});
        t.setMarker(SeriesMarkers.NONE);
        t.setLineColor(Color.GRAY);
        t.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return chart;
    }

    private static String shortName(String source) {
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return slash < 0 ? source : source.substring(slash + 1);
    }
}
