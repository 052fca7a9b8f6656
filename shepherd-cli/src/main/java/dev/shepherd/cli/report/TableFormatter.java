package dev.shepherd.cli.report;

import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.NotComputable;

import java.util.List;

/** Renders an {@link EvalReport} as the paper-style plain-text table printed on stdout. Stateless, thread-safe. */
public final class TableFormatter {

    private TableFormatter() {
    }

    /**
     * Formats the report.
     *
     * @param report the report
     * @return the text, ending with a newline
     */
    public static String format(EvalReport report) {
        StringBuilder sb = new StringBuilder();
        for (String line : Formats.setup(report)) {
            sb.append(line).append('\n');
        }
        sb.append('\n');
        table(sb, Formats.header(report), Formats.rows(report));
        report.ladderComparison().ifPresent(c -> {
            sb.append('\n').append(Comparisons.title(report, c)).append('\n');
            table(sb, Comparisons.HEADER, Comparisons.rows(report, c));
            Comparisons.footer(c).forEach(l -> sb.append("  ").append(l).append('\n'));
        });
        if (!report.notComputable().isEmpty()) {
            sb.append("\nnot computable from this data:\n");
            for (NotComputable nc : report.notComputable()) {
                sb.append("  ").append(nc.name()).append(": ").append(nc.reason()).append('\n');
            }
        }
        if (!report.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            for (String note : report.notes()) {
                sb.append("  ").append(note).append('\n');
            }
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int c = 0; c < width.length; c++) {
            width[c] = header[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        appendRow(sb, header, width);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append(rule).append('\n');
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String cell = cells[c];
            if (c == 0) {
                sb.append(cell).append(" ".repeat(width[c] - cell.length()));
            } else {
                sb.append(" ".repeat(width[c] - cell.length())).append(cell);
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }
}
