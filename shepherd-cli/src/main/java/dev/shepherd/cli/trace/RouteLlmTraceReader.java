package dev.shepherd.cli.trace;

import dev.shepherd.cli.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads RouteLLM's published response CSV ({@code routellm/evals/<task>/<task>_responses.csv}).
 *
 * <p>Columns: {@code prompt}, then for each model {@code <model>} (True/False correctness) and
 * {@code <model>_response}. Exactly two models are expected; the first is the weak model (SLM), the second the
 * strong one (LLM), as in RouteLLM's files. Other columns (an index column, for example) are ignored. A wrong
 * header, a row with the wrong number of fields or a correctness cell that is not True/False is an
 * {@link InputException} naming the file, line and column.
 *
 * <p>Stateless and thread-safe.
 */
public final class RouteLlmTraceReader {

    private RouteLlmTraceReader() {
    }

    /**
     * Reads a trace file.
     *
     * @param file the CSV file
     * @return the trace
     * @throws InputException when the file is missing or malformed
     */
    public static RouteLlmTrace read(Path file) {
        return read(file, file.toString());
    }

    /**
     * Reads a trace file, naming it {@code source} in messages and in the result.
     *
     * @param file the CSV file
     * @param source the name to report (e.g. the URL it was downloaded from)
     * @return the trace
     */
    public static RouteLlmTrace read(Path file, String source) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, source);
        } catch (NoSuchFileException e) {
            throw new InputException(source, 0, null, "trace file not found");
        } catch (IOException e) {
            throw new InputException(source, 0, null, "cannot read trace: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a trace from a reader.
     *
     * @param reader the CSV text
     * @param source the name to report in messages
     * @return the trace
     */
    public static RouteLlmTrace read(Reader reader, String source) throws IOException {
        CsvRecords csv = new CsvRecords(reader, source);
        List<String> header = csv.next();
        if (header == null) {
            throw new InputException(source, 1, null, "trace is empty: expected a header line");
        }
        Columns cols = Columns.of(header, source);
        List<TraceRow> rows = new ArrayList<>();
        List<String> r;
        while ((r = csv.next()) != null) {
            long line = csv.recordLine();
            if (r.size() != header.size()) {
                throw new InputException(source, line, null, "expected " + header.size()
                        + " columns as in the header but found " + r.size() + " (truncated or unquoted row?)");
            }
            rows.add(new TraceRow(r.get(cols.prompt),
                    bool(r.get(cols.weak), source, line, header.get(cols.weak)),
                    bool(r.get(cols.strong), source, line, header.get(cols.strong)),
                    r.get(cols.smallResponse), r.get(cols.largeResponse), line));
        }
        if (rows.isEmpty()) {
            throw new InputException(source, 2, null, "trace has a header but no rows");
        }
        return new RouteLlmTrace(source, header.get(cols.weak), header.get(cols.strong), rows);
    }

    private static boolean bool(String cell, String source, long line, String column) {
        String s = cell.strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "1", "1.0" -> true;
            case "false", "0", "0.0" -> false;
            default -> throw new InputException(source, line, column,
                    "expected True or False (the model's correctness) but was '" + abbreviate(cell) + "'");
        };
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 40 ? flat.substring(0, 37) + "..." : flat;
    }

    /** Column positions found in a header. */
    private record Columns(int prompt, int weak, int strong, int smallResponse, int largeResponse) {

        static Columns of(List<String> header, String source) {
            int prompt = header.indexOf("prompt");
            if (prompt < 0) {
                throw new InputException(source, 1, "prompt", "missing column; RouteLLM traces have the columns "
                        + "prompt, <weak>, <strong>, <weak>_response, <strong>_response but the header was " + header);
            }
            List<Integer> models = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                if (i != prompt && !name.isBlank() && !name.startsWith("Unnamed") && !name.endsWith("_response")) {
                    int resp = header.indexOf(name + "_response");
                    if (resp < 0) {
                        throw new InputException(source, 1, name + "_response", "missing column: model column '"
                                + name + "' has no response column next to it");
                    }
                    models.add(i);
                }
            }
            if (models.size() != 2) {
                throw new InputException(source, 1, null, "expected exactly two model columns (weak, strong)"
                        + " each with a <model>_response column but found " + models.size() + " in " + header);
            }
            int weak = models.get(0);
            int strong = models.get(1);
            return new Columns(prompt, weak, strong, header.indexOf(header.get(weak) + "_response"),
                    header.indexOf(header.get(strong) + "_response"));
        }
    }
}
