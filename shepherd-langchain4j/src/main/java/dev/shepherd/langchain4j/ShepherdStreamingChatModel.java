package dev.shepherd.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.FailureMode;
import dev.shepherd.core.Shepherd;
import dev.shepherd.core.ShepherdResult;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.policy.SmallInitiatedHelp;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.langchain4j.internal.CollectingChatModel;
import dev.shepherd.langchain4j.internal.LiveStream;
import dev.shepherd.langchain4j.internal.ParsedChatRequest;
import dev.shepherd.langchain4j.internal.PerRequest;
import dev.shepherd.langchain4j.internal.RequestScopedPolicy;
import dev.shepherd.langchain4j.internal.Responses;
import dev.shepherd.langchain4j.internal.StreamingGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The streaming counterpart of {@link ShepherdChatModel}, with the same requests, metadata, ledger
 * entries and failure semantics. The small model is a {@link StreamingChatModel}; the large one a
 * {@link StreamingChatModel} ({@link Builder#large(StreamingChatModel)}: its tokens stream too) or a
 * {@link ChatModel} (its text arrives in one partial).
 *
 * <h2>What streams, and when</h2>
 * Every model's tokens go to the caller as they arrive, once it is clear they are part of what the
 * caller sees. The reactive samples and the predictor stream nothing (they decide; they do not
 * answer). A hint streams as it is bought: with {@link dev.shepherd.core.prompt.HintPlacement#PROMPT}
 * (the default) to {@link StreamingChatResponseHandler#onPartialThinking} — it guides the answer but is
 * not part of it — and with {@link dev.shepherd.core.prompt.HintPlacement#CONTINUATION} to
 * {@link StreamingChatResponseHandler#onPartialResponse(String)}, since it is the answer's start. The
 * answering call — the small model's answer, or the large model's full answer — streams token by token
 * to {@code onPartialResponse}. Then {@link StreamingChatResponseHandler#onCompleteResponse(ChatResponse)}
 * with the full text and {@link ShepherdChatResponseMetadata}. An answer that no call streams — a hint
 * that came back complete with prompt placement, an agreed reactive sample, the small model's earlier
 * answer used as a fallback, or an answer stitched from several calls ({@link SmallInitiatedHelp}) —
 * arrives in one partial before completion. Errors go to {@link StreamingChatResponseHandler#onError(Throwable)}.
 *
 * <h2>A model that fails mid-stream</h2>
 * The caller never sees a restart: the text already sent becomes the other model's assistant prefill
 * and its continuation streams on. A large model failing mid-answer (or mid-hint with continuation
 * placement) is continued by the small model — notes {@code llm-unavailable} and
 * {@code continued-after-failure} — unless the failure mode is {@link dev.shepherd.core.FailureMode#STRICT}.
 * A small model failing mid-answer is continued by the large one, charged to the spend cap like any
 * large-model call (note {@code continued-after-failure}); turn that off with
 * {@link Builder#largeContinuesSmall(boolean)}. The ledger keeps the failed call and the continuing
 * one. Continuing needs a backend that continues a trailing assistant message (llama.cpp's and vLLM's
 * OpenAI-compatible servers, Ollama); one that does not answers anew after the prefix. A failure
 * before any of the call's text was sent takes the usual path ({@link ShepherdChatModel}'s class
 * Javadoc), and the small model's fallback answer then streams.
 *
 * <p>Threads: by default {@code chat(...)} runs the request on the calling thread and returns when
 * the handler has been completed; with {@link Builder#executor(Executor)} it returns at once and runs
 * there. Partial responses arrive on the streaming clients' I/O threads, one call at a time and in
 * order. Immutable and thread-safe.
 */
public final class ShepherdStreamingChatModel implements StreamingChatModel {

    private final StreamingChatModel small;
    private final StreamingChatModel largeStreaming;
    private final Shepherd shepherd;
    private final String smallName;
    private final String largeName;
    private final Duration requestTimeout;
    private final PromptTemplate template;
    private final boolean estimateMissingSmallUsage;
    private final Executor executor;
    private final HintPlacement hintPlacement;
    private final FailureMode failureMode;
    private final boolean largeContinuesSmall;
    private final boolean streamsLive;
    private final List<ChatModelListener> listeners;
    private final ChatRequestParameters defaultRequestParameters;

    private ShepherdStreamingChatModel(Builder b, Shepherd shepherd) {
        this.small = b.small;
        this.largeStreaming = b.largeStreaming;
        this.shepherd = shepherd;
        this.smallName = b.smallName;
        this.largeName = b.largeName;
        this.requestTimeout = b.requestTimeout;
        this.template = b.template;
        this.estimateMissingSmallUsage = b.estimateMissingSmallUsage;
        this.executor = b.executor;
        this.hintPlacement = b.hintPlacement;
        this.failureMode = b.failureMode;
        this.largeContinuesSmall = b.largeContinuesSmall;
        // Its answer is stitched from several small-model calls, markers cut: only the whole is right.
        this.streamsLive = !(b.policy instanceof SmallInitiatedHelp);
        this.listeners = b.listeners;
        this.defaultRequestParameters = b.defaultRequestParameters;
    }

    /** A builder; small, large, policy and costModel are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the policy for one request and reports to {@code handler}: partials of the final answer,
     * then the complete response, or an error ({@link InvalidChatRequestException},
     * {@link dev.shepherd.core.ModelCallException}, {@link dev.shepherd.core.SpendLimitExceededException}).
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
        try {
            ParsedChatRequest parsed = ParsedChatRequest.parse(request);
            // Generators per request: their sinks are armed only around this request's visible calls.
            StreamingGenerator smallGenerator = new StreamingGenerator(small, smallName, ModelRole.SMALL,
                    estimateMissingSmallUsage);
            StreamingGenerator largeGenerator = largeStreaming == null ? null
                    : new StreamingGenerator(largeStreaming, largeName, ModelRole.LARGE, false);
            LiveStream live = new LiveStream(handler, smallGenerator, largeGenerator, hintPlacement, failureMode,
                    largeContinuesSmall, streamsLive);
            ShepherdingPolicy scoped = live.policy(new RequestScopedPolicy(shepherd.policy(), parsed, null));
            ShepherdResult result = PerRequest.shepherd(shepherd, template, scoped, smallGenerator, largeGenerator,
                    requestTimeout).answer(parsed.query());
            live.finish(result.text());
            response = Responses.toChatResponse(result, shepherd.policy().name(), smallName, largeName);
        } catch (RuntimeException | Error e) {
            handler.onError(e);
            return;
        }
        handler.onCompleteResponse(response);
    }

    /** The ledger every request is recorded in. */
    public CostLedger ledger() {
        return shepherd.ledger();
    }

    /** The policy run for every request. */
    public ShepherdingPolicy policy() {
        return shepherd.policy();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return defaultRequestParameters;
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of();
    }

    /** Fail-fast builder; {@link #small(StreamingChatModel)}, large, policy and costModel are required. Not thread-safe. */
    public static final class Builder extends ShepherdModelBuilder<Builder> {
        private StreamingChatModel small;
        private StreamingChatModel largeStreaming;
        private Executor executor = Runnable::run;
        private boolean largeContinuesSmall = true;

        private Builder() {
        }

        /** The small (local) model, whose final answer streams to the caller. Required. */
        public Builder small(StreamingChatModel small) {
            this.small = Objects.requireNonNull(small, "small");
            return this;
        }

        /**
         * The large (remote, paid) model as a streaming client, so its full answers and its hints stream as
         * they arrive; required unless {@link #large(ChatModel)} is given (the last call wins).
         */
        public Builder large(StreamingChatModel large) {
            this.largeStreaming = Objects.requireNonNull(large, "large");
            this.large = new CollectingChatModel(large);
            return this;
        }

        /** The large model as a non-streaming client: its text arrives in one partial. */
        @Override
        public Builder large(ChatModel large) {
            this.largeStreaming = null;
            return super.large(large);
        }

        /**
         * Whether the large model continues a small model that fails mid-answer, from the text already
         * streamed (charged to the spend cap); {@code true} by default. Off: such a request fails.
         */
        public Builder largeContinuesSmall(boolean continues) {
            this.largeContinuesSmall = continues;
            return this;
        }

        /** Where requests run; the calling thread by default. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @throws IllegalStateException when small, large, policy or costModel is missing */
        public ShepherdStreamingChatModel build() {
            checkRequired(small);
            if (smallName == null) {
                smallName = ChatModelGenerator.defaultName(small.provider(), small.defaultRequestParameters(),
                        small.getClass());
            }
            Shepherd shepherd = shepherd(new StreamingGenerator(small, smallName, ModelRole.SMALL,
                    estimateMissingSmallUsage));
            return new ShepherdStreamingChatModel(this, shepherd);
        }
    }
}
