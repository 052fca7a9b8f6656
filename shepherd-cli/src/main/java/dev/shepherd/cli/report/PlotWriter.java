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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the cost-vs-accuracy plot (XChart) as PNG and SVG: one point per single-point strategy, one curve (with its
 * operating point) per strategy with a knob, and a dashed line at 90 % of LLM accuracy. Needs a headless AWT
 * ({@code -Djava.awt.headless=true}), which it sets when unset. Stateless and thread-safe.
 *
 * <p>A sweep is drawn from at most {@value #MAX_CURVE_POINTS} of its points and shares its strategy's legend entry.
 * The legend sits below the plot while it fits on one row and right of it (in a wider chart) otherwise. XChart draws
 * every letter as an outline, which is most of the SVG: its path coordinates are rounded to 0.1 px.
 */
public final class PlotWriter {

    /** File name (without extension) of the plot inside a report directory. */
    public static final String NAME = "cost_vs_accuracy";

    /** One colour per strategy, its curve and its operating point alike (colour-blind-safe Okabe–Ito, then Tol's). */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xD55E00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
        new Color(0x882255), new Color(0x44AA99), new Color(0x999933), new Color(0x6699CC)};

    /** Most points drawn per sweep; the plot is 1000 px wide, so more adds bytes, not detail. */
    static final int MAX_CURVE_POINTS = 100;

    /** Most legend entries drawn in one row below the plot. */
    private static final int ROW_ENTRIES = 6;

    private static final Pattern SVG_GEOMETRY = Pattern.compile("(?<= (?:d|transform)=\")[^\"]*");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d{2,}");

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
        Path svg = dir.resolve(NAME + ".svg");
        VectorGraphicsEncoder.saveVectorGraphic(chart, svg.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        Files.writeString(svg, roundGeometry(Files.readString(svg, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Rounds the numbers of every {@code d} and {@code transform} attribute to one decimal. */
    static String roundGeometry(String svg) {
        Matcher m = SVG_GEOMETRY.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length() / 2);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(DECIMAL.matcher(m.group()).replaceAll(n -> {
                String r = new BigDecimal(n.group()).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros()
                        .toPlainString();
                return r.equals("-0") ? "0" : r;
            })));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** At most {@code max} (≥ 2) points of {@code curve}, evenly spaced, the first and last included. */
    static List<CurvePoint> decimate(List<CurvePoint> curve, int max) {
        int n = curve.size();
        if (n <= max) {
            return curve;
        }
        List<CurvePoint> out = new ArrayList<>(max);
        for (int k = 0; k < max; k++) {
            out.add(curve.get((int) Math.round((double) k * (n - 1) / (max - 1))));
        }
        return out;
    }

    private static int legendEntries(EvalReport report) {
        return report.strategies().size() + 1; // one per strategy (its sweep shares it) and the target line
    }

    static XYChart chart(EvalReport report) {
        boolean row = legendEntries(report) <= ROW_ENTRIES;
        XYChart chart = new XYChartBuilder().width(row ? 1000 : 1200).height(640)
                .title("Cost vs accuracy: " + shortName(report.dataset()) + " (" + report.queries() + " queries)")
                .xAxisTitle("total cost (USD), tokens: " + report.tokenizer()).yAxisTitle("accuracy (%)").build();
        var s = chart.getStyler();
        s.setLegendPosition(row ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        s.setLegendLayout(row ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
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
                List<CurvePoint> c = decimate(r.curve(), MAX_CURVE_POINTS);
                XYSeries line = chart.addSeries(r.name() + " sweep", c.stream().mapToDouble(CurvePoint::costUsd).toArray(),
                        c.stream().mapToDouble(p -> 100 * p.accuracy()).toArray());
                line.setMarker(SeriesMarkers.NONE);
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                line.setLineColor(color);
                line.setShowInLegend(false); // same colour as the operating point's entry
            }
            XYSeries point = chart.addSeries(r.name(), new double[] {r.costUsd()}, new double[] {100 * r.accuracy()});
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            point.setMarkerColor(color);
        }
        double target = 100 * report.scores().targetAccuracy();
        XYSeries t = chart.addSeries(report.ladder().isEmpty() ? "90% of LLM acc." : "90% of top acc.", new double[] {0, maxCost > 0 ? maxCost : 1},
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
