package dev.shepherd.onnx.baseline;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.internal.CsvReader;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.LabeledExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A RouteLLM evaluation trace ({@code routellm/evals/<task>/responses.csv}): per query, a weak and a
 * strong model's full responses and whether each was correct. Columns: {@code prompt, <weak>, <strong>,
 * <weak>_response, <strong>_response}. Immutable.
 *
 * @param file        where it was read from
 * @param smallModel   the weak model's name (column 2)
 * @param largeModel the strong model's name (column 3)
 * @param rows        the queries, in file order
 */
public record RouteLlmTrace(Path file, String smallModel, String largeModel, List<Row> rows) {

    public RouteLlmTrace {
        rows = List.copyOf(rows);
    }

    /**
     * One query of the trace.
     *
     * @param line           1-based line where the record starts
     * @param prompt         the question
     * @param smallCorrect    whether the weak model's answer was correct
     * @param largeCorrect  whether the strong model's answer was correct
     * @param smallResponse   the weak model's full answer
     * @param largeResponse the strong model's full answer
     */
    public record Row(long line, String prompt, boolean smallCorrect, boolean largeCorrect, String smallResponse,
                      String largeResponse) {
    }

    /**
     * Reads a trace.
     *
     * @throws DataFormatException naming file, line and column for a wrong header, a record with the wrong
     *                             number of columns, a non-boolean correctness value or an empty prompt
     * @throws UncheckedIOException when the file cannot be read
     */
    public static RouteLlmTrace read(Path file) {
        Objects.requireNonNull(file, "file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvReader csv = new CsvReader(in, file);
            CsvReader.Row header = csv.next();
            if (header == null) {
                throw new DataFormatException(file, 1, "empty file: expected header 'prompt,<weak>,<strong>,"
                        + "<weak>_response,<strong>_response'");
            }
            List<String> h = header.fields();
            if (h.size() != 5) {
                throw new DataFormatException(file, 1, "header must have 5 columns (prompt,<weak>,<strong>,"
                        + "<weak>_response,<strong>_response) but had " + h.size() + ": " + h);
            }
            String weak = h.get(1);
            String strong = h.get(2);
            expect(file, h, 0, "prompt");
            expect(file, h, 3, weak + "_response");
            expect(file, h, 4, strong + "_response");
            List<Row> rows = new ArrayList<>();
            CsvReader.Row r;
            while ((r = csv.next()) != null) {
                List<String> f = r.fields();
                if (f.size() == 1 && f.get(0).isEmpty()) {
                    continue;
                }
                if (f.size() != 5) {
                    throw new DataFormatException(file, r.line(), "expected 5 columns but found " + f.size());
                }
                if (f.get(0).isBlank()) {
                    throw new DataFormatException(file, r.line(), "column 1 (prompt) is empty");
                }
                rows.add(new Row(r.line(), f.get(0), bool(file, r.line(), 2, weak, f.get(1)),
                        bool(file, r.line(), 3, strong, f.get(2)), f.get(3), f.get(4)));
            }
            return new RouteLlmTrace(file, weak, strong, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
    }

    private static void expect(Path file, List<String> header, int col, String name) {
        if (!header.get(col).equals(name)) {
            throw new DataFormatException(file, 1, "column " + (col + 1) + " of the header must be '" + name
                    + "' but was '" + header.get(col) + "'");
        }
    }

    private static boolean bool(Path file, long line, int col, String name, String v) {
        String t = v.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new DataFormatException(file, line, "column " + col + " (" + name + ") must be True or False but was '"
                + v + "'");
    }

    /** Share of rows the weak model got right. */
    public double smallAccuracy() {
        return rows.stream().filter(Row::smallCorrect).count() / (double) rows.size();
    }

    /** Share of rows the strong model got right. */
    public double largeAccuracy() {
        return rows.stream().filter(Row::largeCorrect).count() / (double) rows.size();
    }

    /**
     * Need-help training examples: label 1 (n* = 1, a placeholder size — the trace has no hint-size labels)
     * when the weak model was wrong; ids are {@code routellm-<line>}; the strong answer's cl100k_base token count
     * is the auxiliary answer-length target.
     */
    public List<LabeledExample> needHelpExamples() {
        Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        return rows.stream().map(r -> LabeledExample.of("routellm-" + r.line(), r.prompt(), r.smallCorrect() ? 0 : 1)
                .withLargeAnswerTokens(cl100k.countTokens(r.largeResponse()))).toList();
    }

    /**
     * The trace in the label-record contract ({@code docs/labels.md}), so that calibration and training
     * code run on it unchanged: level 0 is the weak model's answer, {@code llm_full} the strong model's;
     * token counts are cl100k_base counts of the question and responses (a proxy, see README). No hint
     * levels exist, so {@code n_star} is 0 when the weak model was right, else the strong answer's length
     * (the contract's "no level passed" value); {@code keep} is false when both models were wrong.
     */
    public List<LabelRecord> toLabelRecords() {
        Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        List<LabelRecord> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            long q = cl100k.countTokens(r.prompt());
            long largeOut = cl100k.countTokens(r.largeResponse());
            LabelRecord.ModelCall strong = new LabelRecord.ModelCall(r.largeResponse(), q, largeOut, "STOP",
                    r.largeCorrect() ? 1 : 0);
            LabelRecord.ModelCall weak = new LabelRecord.ModelCall(r.smallResponse(), q,
                    cl100k.countTokens(r.smallResponse()), "STOP", r.smallCorrect() ? 1 : 0);
            int nStar = r.smallCorrect() ? 0 : (int) Math.max(1, largeOut);
            out.add(new LabelRecord("routellm-" + r.line(), "routellm", r.prompt(), null, strong,
                    List.of(new LabelRecord.HintLevel(0, 0, "", 0, weak)), Map.of(), nStar,
                    r.smallCorrect() ? 0 : 100, r.smallCorrect() || r.largeCorrect()));
        }
        return out;
    }
}
