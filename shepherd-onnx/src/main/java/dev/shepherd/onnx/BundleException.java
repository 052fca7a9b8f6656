package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;

/**
 * Thrown when a predictor bundle cannot be loaded: a missing or corrupt file, metadata that
 * does not describe the graph, or an encoder that does not fit the heads. The message names the
 * file. Not retriable: re-export the bundle.
 */
public class BundleException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A failure tied to {@code file}. */
    public BundleException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** A failure tied to {@code file}, with its cause. */
    public BundleException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The offending file (or directory). */
    public Path file() {
        return file;
    }
}
