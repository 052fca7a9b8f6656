package dev.shepherd.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A {@link StreamingChatModel} seen as a {@link ChatModel}: {@code chat} waits for the complete response
 * (bounded by the client's own timeout, which ends the stream with an error). Lets a streaming large
 * model stand where the shared builder expects a {@code ChatModel}. Thread-safe when the wrapped model is.
 */
final class CollectingChatModel implements ChatModel {

    private final StreamingChatModel model;

    CollectingChatModel(StreamingChatModel model) {
        this.model = model;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while streaming", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return model.defaultRequestParameters();
    }

    @Override
    public ModelProvider provider() {
        return model.provider();
    }

    @Override
    public String toString() {
        return "CollectingChatModel[" + model + "]";
    }
}
