package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.SmallInitiatedHelp;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.tier.Tiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * <h2>Ladders</h2>
 * {@link Builder#tiers(StreamingChatModelTier...)} runs 2..N streaming models, cheapest first,
 * instead of a pair, for the tier-aware policies ({@code TierCascade}, {@code TierRouting},
 * {@code TierShepherding}). What streams is the answering tier's answer call, token by token, whichever
 * tier it is; a middle tier's answer that fails mid-stream is continued by the bottom tier like a large
 * model's. Samples of any tier and hints from a middle tier stream nothing (a hint from the top streams
 * as above), and an answer that is an agreed sample arrives in one partial. The metadata
 * ({@link ShepherdChatResponseMetadata#answeredByTier()}) and the ledger name the tier of every call and
 * of the answer.
 *
 * <h2>A model that fails mid-stream</h2>
 * The caller never sees a restart: the text already sent becomes the other model's assistant prefill
 * and its continuation streams on. A large model failing mid-answer (or mid-hint with continuation
 * placement) is continued by the small model — notes {@code llm-unavailable} and
 * {@code continued-after-failure} — unless the failure mode is {@link dev.shepherd.core.run.FailureMode#STRICT}.
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
public final class ShepherdStreamingChatModel extends ShepherdModelSupport implements StreamingChatModel {

    private final StreamingChatModel small;
    private final StreamingChatModel largeStreaming;
    private final boolean estimateMissingSmallUsage;
    private final Executor executor;
    private final HintPlacement hintPlacement;
    private final FailureMode failureMode;
    private final boolean largeContinuesSmall;
    private final boolean streamsLive;
    /** A ladder's middle tiers' models, cheapest first; empty with two models. */
    private final List<StreamingChatModel> middle;

    private ShepherdStreamingChatModel(Builder b, Shepherd shepherd, List<StreamingChatModel> middle) {
        super(b, shepherd);
        this.small = b.small;
        this.largeStreaming = b.largeStreaming;
        this.middle = List.copyOf(middle);
        this.estimateMissingSmallUsage = b.estimateMissingSmallUsage;
        this.executor = b.executor;
        this.hintPlacement = b.placement;
        this.failureMode = b.mode;
        this.largeContinuesSmall = b.largeContinuesSmall;
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
        try {
            ParsedChatRequest parsed = ParsedChatRequest.parse(request);
            // Generators per request: their sinks are armed only around this request's visible calls.
            StreamingGenerator smallGenerator = new StreamingGenerator(small, smallName(), ModelRole.SMALL,
                    estimateMissingSmallUsage);
            StreamingGenerator largeGenerator = largeStreaming == null ? null
                    : new StreamingGenerator(largeStreaming, largeName(), ModelRole.LARGE, false);
            List<StreamingGenerator> middleGenerators = new ArrayList<>(middle.size());
            for (int i = 0; i < middle.size(); i++) {
                middleGenerators.add(new StreamingGenerator(middle.get(i), shepherd.tiers().get(i + 1).model().name(),
                        Tiers.roleOf(i + 1), false));
            }
            LiveStream live = new LiveStream(handler, smallGenerator, largeGenerator, middleGenerators, hintPlacement,
                    failureMode, largeContinuesSmall, streamsLive);
            ShepherdResult result = answer(parsed, live::policy, smallGenerator, largeGenerator, middleGenerators);
            live.finish(result.text());
            response = toChatResponse(result);
        } catch (RuntimeException | Error e) {
            handler.onError(e);
            return;
        }
        handler.onCompleteResponse(response);
    }

    /** The ladder every request runs on, cheapest first (the pair {@code "small"}, {@code "large"} without tiers). */
    public Tiers tiers() {
        return shepherd.tiers();
    }

    /** Fail-fast builder; {@link #small(StreamingChatModel)}, large, policy and costModel are required. Not thread-safe. */
    public static final class Builder extends ShepherdModelBuilder<Builder> {
        private StreamingChatModel small;
        private List<StreamingChatModelTier> tiers;
        private StreamingChatModel largeStreaming;
        private Executor executor = Runnable::run;
        private HintPlacement placement = HintPlacement.PROMPT;
        private FailureMode mode = FailureMode.FALLBACK_TO_SMALL;
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

        @Override
        public Builder hintPlacement(HintPlacement hintPlacement) {
            this.placement = Objects.requireNonNull(hintPlacement, "hintPlacement");
            return super.hintPlacement(hintPlacement);
        }

        @Override
        public Builder failureMode(FailureMode failureMode) {
            this.mode = Objects.requireNonNull(failureMode, "failureMode");
            return super.failureMode(failureMode);
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

        /**
         * A ladder of 2..N streaming models, cheapest first, instead of {@link #small}/{@link #large}: the
         * bottom is the small model, the top the large one, and tier-aware policies use the ones between.
         * Each tier brings its prices, so {@code costModel(...)} is not set. See the class Javadoc for what
         * streams.
         *
         * @throws IllegalArgumentException with fewer than two tiers
         */
        public Builder tiers(StreamingChatModelTier... tiers) {
            this.tiers = ladder(tiers);
            return this;
        }

        /**
         * @throws IllegalStateException when small, large, policy or costModel is missing, or when tiers
         *         are mixed with small/large or costModel
         */
        public ShepherdStreamingChatModel build() {
            if (tiers != null) {
                return buildLadder();
            }
            StreamingGenerator smallGenerator = null;
            if (small != null) {
                if (smallName == null) {
                    smallName = ChatModelGenerator.defaultName(small.provider(), small.defaultRequestParameters(),
                            small.getClass());
                }
                smallGenerator = new StreamingGenerator(small, smallName, ModelRole.SMALL, estimateMissingSmallUsage);
            }
            return new ShepherdStreamingChatModel(this, shepherd(smallGenerator), List.of());
        }

        private ShepherdStreamingChatModel buildLadder() {
            requireLadderAlone(small != null);
            Tiers.Builder ladder = Tiers.builder();
            List<StreamingChatModel> between = new ArrayList<>();
            for (int i = 0; i < tiers.size(); i++) {
                StreamingChatModel m = tiers.get(i).model();
                boolean bottom = i == 0;
                boolean top = i == tiers.size() - 1;
                String name = bottom && smallName != null ? smallName : top && largeName != null ? largeName
                        : ChatModelGenerator.defaultName(m.provider(), m.defaultRequestParameters(), m.getClass());
                // The shared generators serve what no request streams; each request streams through its own.
                Generator g = bottom ? new StreamingGenerator(m, name, ModelRole.SMALL, estimateMissingSmallUsage)
                        : ChatModelGenerator.of(new CollectingChatModel(m), name, Tiers.roleOf(i));
                ladder.tier(tiers.get(i).name(), g, tiers.get(i).prices());
                if (!bottom && !top) {
                    between.add(m);
                }
            }
            Tiers built = ladder.build();
            small = tiers.get(0).model();
            largeStreaming = tiers.get(tiers.size() - 1).model();
            smallName = built.bottom().model().name();
            largeName = built.top().model().name();
            settings.tiers(built);
            return new ShepherdStreamingChatModel(this, settings.build(), between);
        }
    }
}
