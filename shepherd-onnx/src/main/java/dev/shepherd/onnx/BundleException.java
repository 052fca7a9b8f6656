package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;

/**
 * A model file cannot be used: a predictor bundle's heads, metadata, calibration or training manifest is missing,
 * corrupt or does not describe its graph; an encoder's {@code model.onnx} or {@code tokenizer.json} is missing, not
 * loadable, or the two do not belong together; a bundle's encoder is not the one its heads were trained over; a
 * bundle file cannot be written. The message names the file ({@link #file()}).
 *
 * <p>One type for the bundle and for a stand-alone encoder because the caller's remedy is the same: the files are
 * wrong, so export (or copy) them again; retrying does not help. A command line maps it to "bad input".
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

    /** The offending file (or directory, or the classpath resource of a missing default encoder). */
    public Path file() {
        return file;
    }
}
