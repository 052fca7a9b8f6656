package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A streaming handler for tests: keeps every partial response and the outcome. Thread-safe. */
final class PartialsCollector implements StreamingChatResponseHandler {

    final List<String> partials = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partial) {
        partials.add(partial);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    /** The complete response, waiting up to 20 s. */
    ChatResponse await() throws Exception {
        return done.get(20, TimeUnit.SECONDS);
    }

    /** The partials so far, joined: the text the caller has seen. */
    String text() {
        return String.join("", partials);
    }
}
