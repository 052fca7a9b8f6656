package dev.shepherd.llamacpp;

import dev.shepherd.core.ShepherdException;

/**
 * Thrown by {@link LlamaCppChatModel#chat} when the llama.cpp engine reports an error while
 * processing a request (de.kherud:llama's own exception type is not public). The message names
 * the model file. The model stays usable; retrying the same request usually fails the same way.
 */
public class InferenceException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param modelName the GGUF file name
     * @param cause the engine's exception
     */
    public InferenceException(String modelName, Throwable cause) {
        super("llama.cpp failed on model " + modelName + ": " + cause.getMessage(), cause);
    }
}
