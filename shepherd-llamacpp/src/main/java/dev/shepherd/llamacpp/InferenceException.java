package dev.shepherd.llamacpp;

import dev.langchain4j.exception.NonRetriableException;
import dev.shepherd.core.ShepherdException;

/**
 * Thrown by {@link LlamaCppChatModel#chat} when the llama.cpp engine reports an error while
 * processing a request (de.kherud:llama's own exception type is not public). The message names
 * the model file. The model stays usable; retrying the same request usually fails the same way.
 *
 * <p>Thrown from {@code chat}, so it follows LangChain4j's hierarchy like every exception a
 * LangChain4j {@code ChatModel} throws: a {@link NonRetriableException}, which LangChain4j's retry
 * logic does not retry. Not a {@link ShepherdException}.
 */
public class InferenceException extends NonRetriableException {

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
