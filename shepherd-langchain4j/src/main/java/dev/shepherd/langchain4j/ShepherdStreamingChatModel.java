package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.policy.SmallInitiatedHelp;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming counterpart of {@link ShepherdChatModel}, with the same requests, metadata, ledger
 * entries and failure semantics. The small model is a {@link StreamingChatModel}; the large one a
 * {@link ChatModel} (hints are short and capped: nothing to stream).
 *
 * <p>Order of events for one request: everything the policy needs before answering happens first
 * and streams nothing (the reactive samples, the predictor, the hint); then the small model's final
 * answer call streams token by token to {@link StreamingChatResponseHandler#onPartialResponse(String)}
 * (with {@link HintPlacement#CONTINUATION} the hint text comes first, as one
 * partial, since it is the start of the answer); then
 * {@link StreamingChatResponseHandler#onCompleteResponse(ChatResponse)} with the full text and
 * {@link ShepherdChatResponseMetadata}. When the answer does not come from a fresh small-model call —
 * the large model's full answer, a hint that was already complete, an agreed reactive sample, or the
 * small model's fallback answer after a large-model failure, or an answer stitched from several
 * calls ({@link SmallInitiatedHelp}) — the whole text is delivered in one partial before completion. Errors go to {@link StreamingChatResponseHandler#onError(Throwable)}.
 *
 * <p>Threads: by default {@code chat(...)} runs the request on the calling thread and returns when
 * the handler has been completed; with {@link Builder#executor(Executor)} it returns at once and runs
 * there. Partial responses arrive on the small client's I/O thread. Immutable and thread-safe.
 */
public final class ShepherdStreamingChatModel extends ShepherdModelSupport implements StreamingChatModel {

    private static final Logger log = LoggerFactory.getLogger(ShepherdStreamingChatModel.class);

    private final StreamingChatModel small;
    private final boolean estimateMissingSmallUsage;
    private final Executor executor;
    private final boolean streamsLive;

    private ShepherdStreamingChatModel(Builder b, Shepherd shepherd) {
        super(b, shepherd);
        this.small = b.small;
        this.estimateMissingSmallUsage = b.estimateMissingSmallUsage;
        this.executor = b.executor;
        // Its answer is stitched from several small-model calls, markers cut: only the whole is right.
        this.streamsLive = !(shepherd.policy() instanceof SmallInitiatedHelp);
    }

    /** A builder; small, large, policy and costModel are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the policy for one request and reports to {@code handler}: partials of the final answer,
     * then the complete response, or an error ({@link InvalidChatRequestException},
     * {@link ModelCallException}, {@link SpendLimitExceededException}).
     * {@link StreamingChatModel#chat(ChatRequest, StreamingChatResponseHandler)} calls this after merging
     * defaults and wrapping the handler for listeners.
     */
    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        executor.execute(() -> run(request, handler));
    }

    private void run(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatResponse response;
        LiveAnswer live = new LiveAnswer(handler, streamsLive);
        try {
            ParsedChatRequest parsed = ParsedChatRequest.parse(request);
            // One generator per request: its sink is armed only around this request's answer call.
            StreamingGenerator generator = new StreamingGenerator(small, smallName(), estimateMissingSmallUsage);
            live.generator = generator;
            ShepherdResult result = answer(parsed, live, generator);
            live.finish(result.text());
            response = toChatResponse(result);
        } catch (RuntimeException | Error e) {
            handler.onError(e);
            return;
        }
        handler.onCompleteResponse(response);
    }

    /**
     * Forwards the partials of the request's first small-model answer call to the caller and
     * remembers what was sent; later answer calls (if a policy makes several) are not streamed.
     */
    private static final class LiveAnswer implements RequestScopedPolicy.AnswerListener {
        private final StreamingChatResponseHandler handler;
        private final StringBuilder sent = new StringBuilder();
        private boolean enabled;
        private StreamingGenerator generator;

        LiveAnswer(StreamingChatResponseHandler handler, boolean enabled) {
            this.handler = handler;
            this.enabled = enabled;
        }

        @Override
        public void beforeAnswer(GenerationRequest request) {
            if (!enabled) {
                return;
            }
            enabled = false;
            if (request.assistantPrefix() != null && !request.assistantPrefix().isEmpty()) {
                emit(request.assistantPrefix());
            }
            generator.arm(this::emit);
        }

        @Override
        public void afterAnswer() {
            generator.arm(null);
        }

        // Partials of one stream arrive in order on one I/O thread; synchronized for visibility of `sent`.
        private synchronized void emit(String partial) {
            sent.append(partial);
            handler.onPartialResponse(partial);
        }

        synchronized void finish(String answer) {
            if (sent.length() == 0) {
                emit(answer);
            } else if (!sent.toString().equals(answer)) {
                log.warn("the streamed text ({} chars) differs from the final answer ({} chars); the complete "
                        + "response carries the final answer", sent.length(), answer.length());
            }
        }
    }

    /** Fail-fast builder; {@link #small(StreamingChatModel)}, large, policy and costModel are required. Not thread-safe. */
    public static final class Builder extends ShepherdModelBuilder<Builder> {
        private StreamingChatModel small;
        private Executor executor = Runnable::run;

        private Builder() {
        }

        /** The small (local) model, whose final answer streams to the caller. Required. */
        public Builder small(StreamingChatModel small) {
            this.small = Objects.requireNonNull(small, "small");
            return this;
        }

        /** Where requests run; the calling thread by default. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @throws IllegalStateException when small, large, policy or costModel is missing */
        public ShepherdStreamingChatModel build() {
            StreamingGenerator smallGenerator = null;
            if (small != null) {
                if (smallName == null) {
                    smallName = ChatModelGenerator.defaultName(small.provider(), small.defaultRequestParameters(),
                            small.getClass());
                }
                smallGenerator = new StreamingGenerator(small, smallName, estimateMissingSmallUsage);
            }
            return new ShepherdStreamingChatModel(this, shepherd(smallGenerator));
        }
    }
}
