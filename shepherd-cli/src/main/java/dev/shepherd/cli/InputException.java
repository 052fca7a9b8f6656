package dev.shepherd.cli;

import dev.shepherd.core.ShepherdException;

/**
 * Bad input given to the command line: a file, line or field that cannot be used as it is. The message is one
 * line that names where the problem is ({@code FILE:LINE: field 'x': ...}) so the user can fix it without a
 * stack trace. Thrown by dataset, trace, label and configuration readers; the command line maps it to exit
 * code {@value ShepherdCli#EXIT_BAD_INPUT}.
 *
 * <p>Immutable and thread-safe.
 */
public class InputException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final String field;

    /**
     * Creates an input error.
     *
     * @param source the file, URL or option the bad input came from; may be {@code null}
     * @param line the 1-based line number, or 0 when not applicable
     * @param field the column, JSON field or option name, or {@code null}
     * @param message what is wrong, including the offending value where useful
     */
    public InputException(String source, long line, String field, String message) {
        super(format(source, line, field, message));
        this.source = source;
        this.line = line;
        this.field = field;
    }

    /**
     * Creates an input error caused by another exception.
     *
     * @param source the file, URL or option the bad input came from; may be {@code null}
     * @param line the 1-based line number, or 0 when not applicable
     * @param field the column, JSON field or option name, or {@code null}
     * @param message what is wrong
     * @param cause the underlying exception
     */
    public InputException(String source, long line, String field, String message, Throwable cause) {
        super(format(source, line, field, message), cause);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    /** Returns the file, URL or option the bad input came from, or {@code null}. */
    public String source() {
        return source;
    }

    /** Returns the 1-based line number, or 0 when not applicable. */
    public long line() {
        return line;
    }

    /** Returns the column, JSON field or option name, or {@code null}. */
    public String field() {
        return field;
    }

    private static String format(String source, long line, String field, String message) {
        StringBuilder sb = new StringBuilder();
        if (source != null && field == null && message != null && message.startsWith(source + ":")) {
            return message; // the wrapped message names the file already: say it once
        }
        if (source != null) {
            sb.append(source);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (field != null) {
            sb.append("field '").append(field).append("': ");
        }
        return sb.append(message).toString();
    }
}
