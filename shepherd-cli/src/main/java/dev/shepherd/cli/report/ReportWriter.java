package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.NotComputable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a report directory: {@code report.md}, {@code report.html}, {@code report.json} and the
 * cost-vs-accuracy plot ({@code cost_vs_accuracy.png}, {@code .svg}).
 *
 * <p>Everything is written into a temporary sibling directory first; only when all files exist are they moved into
 * the target (the Markdown and HTML pages last), so a failure never leaves a partial report that looks complete.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReportWriter {

    /** The files a complete report directory holds, in the order they are moved into place. */
    public static final List<String> FILES = List.of("report.json", PlotWriter.NAME + ".png",
            PlotWriter.NAME + ".svg", "report.html", "report.md");

    /** How the columns are defined (docs/metrics.md), below every report. */
    static final String METRICS = "A_s, C_s: the floor (the small or cheapest model alone); A_l, C_l: the reference "
            + "(the large or most expensive model alone); x: the share of queries that called the reference. "
            + "Cost reduction = 1 − C/C_l. ACE = [(A − A_s)/(A_l − A_s)] / [C/C_l] (floor excluded; Dong et al.). "
            + "APGR = area under PGR(x) = (A − A_s)/(A_l − A_s) over the strategy's points and the anchors (0, 0), "
            + "(1, 1); CPT(p) = the least x reaching PGR ≥ p (RouteLLM, Ong et al.). IBC lift = "
            + "[(A − A_s)/(C − C_s)] / [(A_l − A_s)/(C_l − C_s)] − 1 (AutoMix, Aggarwal et al.).";

    private ReportWriter() {
    }

    /**
     * Writes the report into {@code dir} (created when absent; earlier report files in it are replaced).
     *
     * @param report the report
     * @param dir the target directory
     */
    public static void write(EvalReport report, Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
            Files.writeString(staging.resolve("report.json"), JsonReportWriter.toString(report), StandardCharsets.UTF_8);
            PlotWriter.write(report, staging);
            Files.writeString(staging.resolve("report.md"), markdown(report), StandardCharsets.UTF_8);
            Files.writeString(staging.resolve("report.html"), html(report), StandardCharsets.UTF_8);
            Files.createDirectories(target);
            for (String name : FILES) {
                AtomicFiles.move(staging.resolve(name), target.resolve(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report into " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    static String markdown(EvalReport r) {
        StringBuilder sb = new StringBuilder("# Shepherd evaluation: ").append(r.dataset()).append("\n\n");
        for (String line : Formats.setup(r)) {
            sb.append("- ").append(line).append('\n');
        }
        String[] header = Formats.header(r);
        sb.append('\n');
        markdownTable(sb, header, Formats.rows(r));
        sb.append("\n![cost vs accuracy](").append(PlotWriter.NAME).append(".png)\n");
        r.ladderComparison().ifPresent(c -> {
            sb.append("\n## The ladder vs the best two-model pair\n\n").append(Comparisons.title(r, c)).append("\n\n");
            markdownTable(sb, Comparisons.HEADER, Comparisons.rows(r, c));
            sb.append('\n');
            Comparisons.footer(c).forEach(l -> sb.append("- ").append(l).append('\n'));
            sb.append("\nEvery pair:\n\n");
            markdownTable(sb, Comparisons.PAIR_HEADER, Comparisons.pairRows(r, c));
        });
        if (!r.notComputable().isEmpty()) {
            sb.append("\n## Not computable from this data\n\n");
            for (NotComputable nc : r.notComputable()) {
                sb.append("- **").append(nc.name()).append("**: ").append(nc.reason()).append('\n');
            }
        }
        sb.append("\n## How each strategy was computed\n\n");
        r.strategies().forEach(s -> sb.append("- **").append(s.name()).append("**: ").append(s.note()).append('\n'));
        r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        sb.append("\n").append(METRICS).append('\n');
        return sb.toString();
    }

    static String html(EvalReport r) {
        StringBuilder sb = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Shepherd "
                + "evaluation</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "td:first-child{text-align:left}</style></head><body>\n");
        sb.append("<h1>Shepherd evaluation: ").append(esc(r.dataset())).append("</h1>\n<ul>\n");
        Formats.setup(r).forEach(l -> sb.append("<li>").append(esc(l)).append("</li>\n"));
        sb.append("</ul>\n");
        htmlTable(sb, Formats.header(r), Formats.rows(r));
        sb.append("<p><img src=\"").append(PlotWriter.NAME).append(".svg\" alt=\"cost vs accuracy\" "
                + "width=\"900\"></p>\n");
        r.ladderComparison().ifPresent(c -> {
            sb.append("<h2>The ladder vs the best two-model pair</h2>\n<p>").append(esc(Comparisons.title(r, c)))
                    .append("</p>\n");
            htmlTable(sb, Comparisons.HEADER, Comparisons.rows(r, c));
            sb.append("<ul>\n");
            Comparisons.footer(c).forEach(l -> sb.append("<li>").append(esc(l)).append("</li>\n"));
            sb.append("</ul>\n<p>Every pair:</p>\n");
            htmlTable(sb, Comparisons.PAIR_HEADER, Comparisons.pairRows(r, c));
        });
        if (!r.notComputable().isEmpty()) {
            sb.append("<h2>Not computable from this data</h2>\n<ul>\n");
            r.notComputable().forEach(nc -> sb.append("<li><b>").append(esc(nc.name())).append("</b>: ")
                    .append(esc(nc.reason())).append("</li>\n"));
            sb.append("</ul>\n");
        }
        sb.append("<h2>How each strategy was computed</h2>\n<ul>\n");
        r.strategies().forEach(s -> sb.append("<li><b>").append(esc(s.name())).append("</b>: ")
                .append(esc(s.note())).append("</li>\n"));
        r.notes().forEach(n -> sb.append("<li>").append(esc(n)).append("</li>\n"));
        return sb.append("</ul>\n<p>").append(esc(METRICS)).append("</p>\n</body></html>\n").toString();
    }

    private static void markdownTable(StringBuilder sb, String[] header, List<String[]> rows) {
        sb.append('|').append(String.join("|", header)).append("|\n|").append("---|".repeat(header.length)).append('\n');
        for (String[] row : rows) {
            sb.append('|').append(String.join("|", row)).append("|\n");
        }
    }

    private static void htmlTable(StringBuilder sb, String[] header, List<String[]> rows) {
        sb.append("<table>\n<tr>");
        for (String h : header) {
            sb.append("<th>").append(esc(h)).append("</th>");
        }
        sb.append("</tr>\n");
        for (String[] row : rows) {
            sb.append("<tr>");
            for (String c : row) {
                sb.append("<td>").append(esc(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover hidden .partial directory is harmless and clearly named
        }
    }
}
