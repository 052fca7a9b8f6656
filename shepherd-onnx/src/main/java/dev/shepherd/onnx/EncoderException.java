package dev.shepherd.onnx;

import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;

/**
 * Thrown when a text encoder cannot be loaded or run: a missing or unreadable {@code model.onnx} or
 * {@code tokenizer.json}, a model without the inputs a BERT-style encoder has, or a tokenizer whose
 * vocabulary the model does not accept (a mismatched pair). The message names the file.
 */
public class EncoderException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A failure tied to {@code file}. */
    public EncoderException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** A failure tied to {@code file}, with its cause. */
    public EncoderException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The offending file, or {@code null} when the failure was not tied to one. */
    public Path file() {
        return file;
    }
}
