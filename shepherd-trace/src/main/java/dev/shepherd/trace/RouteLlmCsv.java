package dev.shepherd.trace;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports RouteLLM's published response CSV ({@code routellm/evals/<task>/<task>_responses.csv}) as a
 * {@link Trace}.
 *
 * <p>Columns: {@code prompt}, then for each model {@code <model>} (True/False correctness) and
 * {@code <model>_response}. Exactly two models are expected; the first is the weak model, the second the strong
 * one, as in RouteLLM's files (the trace's model order). Other columns (an index column, for example) are ignored.
 * Record ids are {@code routellm-<line>}, the line the row starts on; the CSV has no gold answers and no token
 * counts. A wrong header, a row with the wrong number of fields, an empty prompt or a correctness cell that is not
 * True/False is a {@link TraceFormatException} naming the file, line and column.
 *
 * <p>Stateless and thread-safe.
 */
public final class RouteLlmCsv {

    /** Prefix of the record ids: {@code routellm-<line>}. */
    public static final String ID_PREFIX = "routellm-";

    private RouteLlmCsv() {
    }

    /**
     * Reads a trace file.
     *
     * @throws TraceFormatException when the file is missing or malformed
     * @throws UncheckedIOException when it cannot be read
     */
    public static Trace read(Path file) {
        return read(file, file.toString());
    }

    /**
     * Reads a trace file, naming it {@code source} in messages and in the result.
     *
     * @throws TraceFormatException when the file is missing or malformed
     * @throws UncheckedIOException when it cannot be read
     */
    public static Trace read(Path file, String source) {
        return TraceFiles.read(file, source, RouteLlmCsv::read);
    }

    /**
     * Reads a trace from CSV text.
     *
     * @param reader the CSV text
     * @param source the name to report in messages and in the result
     * @throws TraceFormatException when the text is malformed
     * @throws IOException when the reader fails
     */
    public static Trace read(Reader reader, String source) throws IOException {
        CsvRecords csv = new CsvRecords(reader, source);
        List<String> header = csv.next();
        if (header == null) {
            throw new TraceFormatException(source, 1, null, "trace is empty: expected a header line");
        }
        Columns cols = Columns.of(header, source);
        String weak = header.get(cols.weak);
        String strong = header.get(cols.strong);
        List<TraceRecord> records = new ArrayList<>();
        List<String> r;
        while ((r = csv.next()) != null) {
            long line = csv.recordLine();
            if (r.size() != header.size()) {
                throw new TraceFormatException(source, line, null, "expected " + header.size()
                        + " columns as in the header but found " + r.size() + " (truncated or unquoted row?)");
            }
            String prompt = r.get(cols.prompt);
            if (prompt.isBlank()) {
                throw new TraceFormatException(source, line, "prompt", "is empty");
            }
            Map<String, Response> responses = new LinkedHashMap<>();
            responses.put(weak, Response.of(r.get(cols.weakResponse), bool(r.get(cols.weak), source, line, weak)));
            responses.put(strong, Response.of(r.get(cols.strongResponse), bool(r.get(cols.strong), source, line, strong)));
            records.add(new TraceRecord(ID_PREFIX + line, prompt, null, responses, line));
        }
        if (records.isEmpty()) {
            throw new TraceFormatException(source, 2, null, "trace has a header but no rows");
        }
        return new Trace(source, List.of(weak, strong), records);
    }

    private static boolean bool(String cell, String source, long line, String column) {
        String s = cell.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "1.0" -> true;
            case "false", "0", "0.0" -> false;
            default -> throw new TraceFormatException(source, line, column,
                    "expected True or False (the model's correctness) but was '" + abbreviate(cell) + "'");
        };
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 40 ? flat.substring(0, 37) + "..." : flat;
    }

    /** Column positions found in a header. */
    private record Columns(int prompt, int weak, int strong, int weakResponse, int strongResponse) {

        static Columns of(List<String> header, String source) {
            int prompt = header.indexOf("prompt");
            if (prompt < 0) {
                throw new TraceFormatException(source, 1, "prompt", "missing column; RouteLLM traces have the columns "
                        + "prompt, <weak>, <strong>, <weak>_response, <strong>_response but the header was " + header);
            }
            List<Integer> models = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                if (i != prompt && !name.isBlank() && !name.startsWith("Unnamed") && !name.endsWith("_response")) {
                    if (header.indexOf(name + "_response") < 0) {
                        throw new TraceFormatException(source, 1, name + "_response", "missing column: model column '"
                                + name + "' has no response column next to it");
                    }
                    models.add(i);
                }
            }
            if (models.size() != 2) {
                throw new TraceFormatException(source, 1, null, "expected exactly two model columns (weak, strong)"
                        + " each with a <model>_response column but found " + models.size() + " in " + header);
            }
            int weak = models.get(0);
            int strong = models.get(1);
            if (header.get(weak).equals(header.get(strong))) {
                throw new TraceFormatException(source, 1, null, "the two model columns have the same name '"
                        + header.get(weak) + "'");
            }
            return new Columns(prompt, weak, strong, header.indexOf(header.get(weak) + "_response"),
                    header.indexOf(header.get(strong) + "_response"));
        }
    }
}
