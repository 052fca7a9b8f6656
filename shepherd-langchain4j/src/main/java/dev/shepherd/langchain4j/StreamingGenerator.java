package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.langchain4j.internal.ModelErrors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A {@link Generator} over a {@link StreamingChatModel}: waits for the complete response, and while
 * a sink is armed ({@link #arm(Consumer)}) forwards each partial response to it as it arrives. One
 * instance serves one shepherd request; {@link LiveStream} arms the sink only around the calls whose
 * text the caller sees (answers, hints), so samples never reach the caller's handler. Failures are
 * {@link ModelCallException}s of the generator's role, classified as the blocking
 * {@link ChatModelGenerator}'s are (429 rate limited, 5xx server error, ...) so that the executor's retry policy
 * retries a stream that failed before any of its text reached the caller; the partials forwarded before a
 * failure stay forwarded, and such a failure is {@linkplain ModelCallException#outputSent() marked} so that it
 * is never retried from scratch (the caller would see the text twice; {@link LiveStream} continues it from the
 * sent text instead). The streaming clients send asynchronously, so the failure carries no {@code Retry-After}:
 * the policy's own backoff applies. Thread-safe for that use: the sink is volatile because partials arrive on the client's
 * I/O thread.
 */
final class StreamingGenerator implements Generator {

    private final StreamingChatModel model;
    private final String name;
    private final ModelRole role;
    private final boolean estimateMissingUsage;
    private volatile Consumer<String> sink;

    StreamingGenerator(StreamingChatModel model, String name, ModelRole role, boolean estimateMissingUsage) {
        this.model = model;
        this.name = name;
        this.role = role;
        this.estimateMissingUsage = estimateMissingUsage;
    }

    @Override
    public String name() {
        return name;
    }

    /** Forwards partial responses of the following calls to {@code partials} ({@code null}: stop forwarding). */
    public void arm(Consumer<String> partials) {
        this.sink = partials;
    }

    @Override
    public Completion generate(GenerationRequest request) {
        ChatRequest chatRequest = Conversions.toChatRequest(request);
        Consumer<String> forward = sink;
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        Object gate = new Object();
        boolean[] ended = {false};
        boolean[] forwarded = {false};
        try {
            model.chat(chatRequest, new StreamingChatResponseHandler() {
                // Some clients deliver the end of a stream (notably an error) on another thread than its
                // partials, so a partial may arrive after it. The gate drops such late partials: once this
                // call has ended, nothing more of it reaches the caller, and what did reach it is final.
                @Override
                public void onPartialResponse(String partial) {
                    synchronized (gate) {
                        if (!ended[0] && forward != null && partial != null && !partial.isEmpty()) {
                            forwarded[0] = true;
                            forward.accept(partial);
                        }
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    end();
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    end();
                    done.completeExceptionally(error);
                }

                private void end() {
                    synchronized (gate) {
                        ended[0] = true;
                    }
                }
            });
        } catch (RuntimeException e) {
            throw failure(ModelErrors.describe(e), e, sent(gate, forwarded));
        }
        ChatResponse response;
        try {
            // Bounded by the client's own timeout, which ends the stream with onError.
            response = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while streaming", e, sent(gate, forwarded));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw failure(ModelErrors.describe(cause), cause, sent(gate, forwarded));
        }
        boolean sent = sent(gate, forwarded);
        return Conversions.toCompletion(request, response, estimateMissingUsage,
                (detail, cause) -> failure(detail, cause, sent));
    }

    private static boolean sent(Object gate, boolean[] forwarded) {
        synchronized (gate) {
            return forwarded[0];
        }
    }

    private RuntimeException failure(String detail, Throwable cause, boolean outputSent) {
        return ModelErrors.failure(role, name, detail, cause, null, outputSent);
    }
}
