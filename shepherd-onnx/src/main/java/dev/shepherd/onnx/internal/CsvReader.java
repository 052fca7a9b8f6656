package dev.shepherd.onnx.internal;

import dev.shepherd.onnx.DataFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, {@code ""} for a quote, line
 * breaks allowed inside quotes. Tracks the physical line each record starts on. Not thread-safe.
 */
public final class CsvReader {

    /** One record and the 1-based line it starts on. */
    public record Row(long line, List<String> fields) {
    }

    private final Reader in;
    private final Path file;
    private long line = 1;
    private int pushback = -2;

    public CsvReader(Reader in, Path file) {
        this.in = in;
        this.file = file;
    }

    private int read() throws IOException {
        if (pushback != -2) {
            int c = pushback;
            pushback = -2;
            return c;
        }
        return in.read();
    }

    /** The next record, or null at end of input. */
    public Row next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        pushback = c;
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            c = read();
            if (quoted) {
                if (c == -1) {
                    throw new DataFormatException(file, start, "unterminated quoted field in column " + (fields.size() + 1));
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        pushback = d;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
                continue;
            }
            if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r') {
                continue;
            } else if (c == '\n' || c == -1) {
                if (c == '\n') {
                    line++;
                }
                fields.add(field.toString());
                return new Row(start, fields);
            } else {
                field.append((char) c);
            }
        }
    }
}
