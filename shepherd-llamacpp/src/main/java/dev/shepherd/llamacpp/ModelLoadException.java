package dev.shepherd.llamacpp;

import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown by {@link LlamaCppChatModel.Builder#build()} when the configured GGUF file cannot be
 * loaded: the path does not exist, is a directory, cannot be read, does not start with the GGUF
 * magic bytes, or the llama.cpp engine rejects it. The file is checked in Java before it reaches
 * native code, because llama.cpp may abort the whole JVM on a malformed file.
 *
 * <p>Not retriable: fix the configured path. The message always names the path.
 */
public class ModelLoadException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * Creates the exception.
     *
     * @param path the GGUF path that failed to load
     * @param reason why, completing the sentence "could not load GGUF model PATH: REASON"
     */
    public ModelLoadException(Path path, String reason) {
        super(message(path, reason));
        this.path = path;
    }

    /**
     * Creates the exception with the underlying cause.
     *
     * @param path the GGUF path that failed to load
     * @param reason why, completing the sentence "could not load GGUF model PATH: REASON"
     * @param cause the I/O or engine failure
     */
    public ModelLoadException(Path path, String reason, Throwable cause) {
        super(message(path, reason), cause);
        this.path = path;
    }

    /** The GGUF path that failed to load. */
    public Path path() {
        return path;
    }

    private static String message(Path path, String reason) {
        return "could not load GGUF model " + Objects.requireNonNull(path, "path") + ": " + reason;
    }
}
