package dev.shepherd.trace;

import dev.shepherd.core.ShepherdException;

/**
 * A trace file that cannot be read as it is: malformed JSON or CSV, a missing or mistyped field, a record that
 * lacks a model the others have. The message is one line naming where the problem is
 * ({@code SOURCE:LINE: field 'x': ...}), so the file can be fixed without a stack trace.
 *
 * <p>Immutable and thread-safe.
 */
public class TraceFormatException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String field;

    /**
     * Creates the exception.
     *
     * @param source the file or URL, never null
     * @param line the 1-based line, or 0 when not applicable
     * @param field the JSON field or CSV column at fault, or null
     * @param message what is wrong, with the offending value where useful
     */
    public TraceFormatException(String source, long line, String field, String message) {
        this(source, line, field, message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param source the file or URL, never null
     * @param line the 1-based line, or 0 when not applicable
     * @param field the JSON field or CSV column at fault, or null
     * @param message what is wrong
     * @param cause the underlying exception, or null
     */
    public TraceFormatException(String source, long line, String field, String message, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + (field != null ? "field '" + field + "': " : "")
                + message, cause);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    /** Returns the file or URL. */
    public String source() {
        return source;
    }

    /** Returns the 1-based line, or 0 when not applicable. */
    public long line() {
        return line;
    }

    /** Returns the JSON field or CSV column at fault, or null. */
    public String field() {
        return field;
    }
}
