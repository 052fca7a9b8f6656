package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;

/**
 * Input data cannot be used: a data file (label JSONL, RouteLLM CSV trace) is malformed — the message names the
 * file, the 1-based line and, where known, the column or field — or examples cannot be trained or calibrated on
 * (an empty or single-class training set, a missing or non-finite feature, records without the small model's
 * samples for reactive calibration) — the message names the example or record.
 *
 * <p>One type for files and for examples in memory because the caller's remedy is the same: fix or re-label the
 * data; retrying does not help. Argument errors of builders stay {@link IllegalArgumentException}s.
 */
public class DataFormatException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /** A problem with examples or records in memory, named in the message. */
    public DataFormatException(String message) {
        super(message);
        this.file = null;
        this.line = 0;
    }

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

    /** The malformed file, or {@code null} for data in memory. */
    public Path file() {
        return file;
    }

    /** The 1-based line where the problem was found, or 0 for data in memory. */
    public long line() {
        return line;
    }
}
