package dev.shepherd.trace;


import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RFC 4180 CSV reader: comma separated, fields optionally in double quotes, quotes doubled inside
 * quoted fields, line breaks allowed inside quoted fields. Tracks the physical line each record starts on.
 *
 * <p>Not thread-safe.
 */
final class CsvRecords {

    private final Reader in;
    private final String source;
    private long line = 1;
    private long recordLine;
    private int pushedBack = -2;

    CsvRecords(Reader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Returns the line the last record returned by {@link #next()} started on. */
    long recordLine() {
        return recordLine;
    }

    /** Returns the next record, or {@code null} at end of input. */
    List<String> next() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') { // skip blank lines between records
            c = read();
        }
        if (c == -1) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean inQuotes = false;
        while (true) {
            if (inQuotes) {
                if (c == -1) {
                    throw new TraceFormatException(source, recordLine, null,
                            "truncated CSV: a quoted field opened on this line is never closed");
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        inQuotes = false;
                        c = d;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0 && !quoted) {
                inQuotes = true;
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                quoted = false;
            } else if (c == '\n' || c == '\r' || c == -1) {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        unread(d);
                    }
                }
                fields.add(field.toString());
                return fields;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        int c;
        if (pushedBack != -2) {
            c = pushedBack;
            pushedBack = -2;
            return c;
        }
        c = in.read();
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private void unread(int c) {
        pushedBack = c;
    }
}
