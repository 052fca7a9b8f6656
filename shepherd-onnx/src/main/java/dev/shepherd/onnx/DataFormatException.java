package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;

/**
 * Thrown when a data file (label JSONL, RouteLLM CSV trace) is malformed. The message names the
 * file, the 1-based line and, where known, the column or field.
 */
public class DataFormatException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /** A problem at {@code file:line}. */
    public DataFormatException(Path file, long line, String message) {
        this(file, line, message, null);
    }

    /** A problem at {@code file:line}, with its cause. */
    public DataFormatException(Path file, long line, String message, Throwable cause) {
        super(file + ":" + line + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    /** The malformed file. */
    public Path file() {
        return file;
    }

    /** The 1-based line where the problem was found. */
    public long line() {
        return line;
    }
}
