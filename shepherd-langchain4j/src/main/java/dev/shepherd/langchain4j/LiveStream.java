package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.policy.PolicyContext;
import dev.shepherd.core.policy.PolicyOutcome;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.ShepherdResult;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.function.Supplier;

/**
 * What one streamed request shows its caller, and how it survives a model that fails mid-stream.
 *
 * <p>{@link #policy(ShepherdingPolicy)} wraps the request's policy so every call whose text the caller
 * sees streams as it arrives: the small or the large model's answer, token by token, to
 * {@code onPartialResponse}; the hint as it is bought, to {@code onPartialThinking} with
 * {@link HintPlacement#PROMPT} (it is not part of the answer) or to {@code onPartialResponse} with
 * {@link HintPlacement#CONTINUATION} (it is the answer's start). Samples never stream.
 *
 * <p>When a model fails after some of its answer reached the caller, the request continues from that
 * text instead of restarting: the text sent so far becomes the other model's assistant prefill
 * ({@link GenerationRequest#assistantPrefix()}) and its continuation streams on. A large model that fails
 * mid-answer or mid-hint (continuation placement) is continued by the small one (notes
 * {@code llm-unavailable}, {@value #NOTE_CONTINUED}), except in {@link FailureMode#STRICT}; a small
 * model that fails mid-answer is continued by the large one, charged to the spend cap (note
 * {@value #NOTE_CONTINUED}), when enabled. A failure before any text was sent takes the executor's usual
 * path, and the small model's fallback answer then streams too.
 *
 * <p>One instance per request. Calls arrive on the request's thread and partials on the clients' I/O
 * threads, one stream at a time; the sent text is guarded by this object's lock.
 */
final class LiveStream {

    /** A model failed mid-stream and another continued from the text already sent. */
    public static final String NOTE_CONTINUED = "continued-after-failure";

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    private final StreamingChatResponseHandler handler;
    private final StreamingGenerator small;
    private final StreamingGenerator large;
    /** The request's generators of a ladder's middle tiers (tier i at i - 1); empty with two models. */
    private final List<StreamingGenerator> middle;
    private final HintPlacement placement;
    private final FailureMode failureMode;
    private final boolean largeContinuesSmall;
    private final boolean live;
    private final StringBuilder sent = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
    private boolean answered;

    /**
     * @param small               the request's small generator
     * @param large               the request's large generator, or {@code null} when the large model does not stream
     * @param largeContinuesSmall whether the large model continues a small model that failed mid-answer
     * @param live                whether anything streams before the answer is complete (false: one partial at the end)
     */
    LiveStream(StreamingChatResponseHandler handler, StreamingGenerator small, StreamingGenerator large,
                      HintPlacement placement, FailureMode failureMode, boolean largeContinuesSmall, boolean live) {
        this(handler, small, large, List.of(), placement, failureMode, largeContinuesSmall, live);
    }

    /**
     * A stream over a ladder.
     *
     * @param middle the request's generators of the middle tiers, cheapest first (tier i at i - 1)
     */
    LiveStream(StreamingChatResponseHandler handler, StreamingGenerator small, StreamingGenerator large,
               List<StreamingGenerator> middle, HintPlacement placement, FailureMode failureMode,
               boolean largeContinuesSmall, boolean live) {
        this.handler = handler;
        this.small = small;
        this.large = large;
        this.middle = List.copyOf(middle);
        this.placement = placement;
        this.failureMode = failureMode;
        this.largeContinuesSmall = largeContinuesSmall;
        this.live = live;
    }

    /** The request's policy, streaming what the caller sees and adding this stream's notes to the outcome. */
    public ShepherdingPolicy policy(ShepherdingPolicy scoped) {
        return new ShepherdingPolicy() {
            @Override
            public String name() {
                return scoped.name();
            }

            @Override
            public PolicyOutcome apply(Query query, PolicyContext context) {
                PolicyOutcome out = scoped.apply(query, live ? new LiveContext(context) : context);
                if (notes.isEmpty()) {
                    return out;
                }
                List<String> all = new ArrayList<>(out.notes());
                all.addAll(notes);
                return new PolicyOutcome(out.answer(), out.decision(), out.hint(), all);
            }
        };
    }

    /**
     * Completes what the caller saw with the final answer: all of it when nothing streamed, the rest when
     * the stream is a prefix of it (a hint that turned out complete).
     */
    public synchronized void finish(String answer) {
        String streamed = sent.toString();
        if (streamed.equals(answer)) {
            return;
        }
        if (answer.startsWith(streamed)) {
            emit(answer.substring(streamed.length()));
        } else {
            log.warn("the streamed text ({} chars) differs from the final answer ({} chars); the complete "
                    + "response carries the final answer", streamed.length(), answer.length());
        }
    }

    private synchronized void emit(String partial) {
        if (partial.isEmpty()) {
            return;
        }
        sent.append(partial);
        handler.onPartialResponse(partial);
    }

    private void think(String partial) {
        handler.onPartialThinking(new PartialThinking(partial));
    }

    private synchronized int mark() {
        return sent.length();
    }

    private synchronized String sentSince(int mark) {
        return sent.substring(mark);
    }

    private synchronized String sentText() {
        return sent.toString();
    }

    /** Streams the answer and hint calls, continues a failed stream, and forwards everything else. */
    private final class LiveContext extends ForwardingPolicyContext {

        LiveContext(PolicyContext ctx) {
            super(ctx);
        }

        @Override
        public Completion small(GenerationRequest request, CallPurpose purpose) {
            if (purpose != CallPurpose.ANSWER || answered) {
                return ctx.small(request, purpose);
            }
            sendPrefix(request.assistantPrefix());
            int mark = mark();
            small.arm(LiveStream.this::emit);
            Completion c;
            try {
                c = ctx.small(request, purpose);
            } catch (ModelCallException e) {
                String streamed = sentSince(mark);
                if (streamed.isEmpty() || !largeContinuesSmall) {
                    throw e;
                }
                c = continueWith(false, request, streamed, e);
            } finally {
                small.arm(null);
            }
            answered = true;
            return c;
        }

        @Override
        public Completion large(GenerationRequest request, CallPurpose purpose) {
            if (purpose != CallPurpose.ANSWER || answered || large == null) {
                return armFallbackOnFailure(() -> ctx.large(request, purpose));
            }
            return streamAbove(large, request, () -> ctx.large(request, purpose));
        }

        /**
         * Streams the answer call of a tier above the bottom through {@code g}; when it fails after some text was
         * sent, the small model continues from it (not in {@link FailureMode#STRICT}).
         */
        private Completion streamAbove(StreamingGenerator g, GenerationRequest request, Supplier<Completion> call) {
            sendPrefix(request.assistantPrefix());
            int mark = mark();
            g.arm(LiveStream.this::emit);
            Completion c;
            try {
                c = call.get();
            } catch (ModelCallException e) {
                String streamed = sentSince(mark);
                if (streamed.isEmpty() || failureMode == FailureMode.STRICT) {
                    small.arm(LiveStream.this::emit);
                    throw e;
                }
                notes.add(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
                c = continueWith(true, request, streamed, e);
            } finally {
                g.arm(null);
            }
            answered = true;
            return c;
        }

        /**
         * The ends are {@link #small} and {@link #large}; a middle tier's answer call streams like the large
         * model's and, when it fails mid-answer, is continued the same way (by the small model).
         */
        @Override
        public Completion tier(int index, GenerationRequest request, CallPurpose purpose) {
            int top = ctx.tiers().size() - 1;
            if (index == 0) {
                return small(request, purpose);
            }
            if (index == top) {
                return large(request, purpose);
            }
            StreamingGenerator g = index - 1 < middle.size() ? middle.get(index - 1) : null;
            if (purpose != CallPurpose.ANSWER || answered || g == null) {
                return armFallbackOnFailure(() -> ctx.tier(index, request, purpose));
            }
            return streamAbove(g, request, () -> ctx.tier(index, request, purpose));
        }

        /** A hint from the top streams as {@link #hint(Query, int)}; one from a middle tier streams nothing. */
        @Override
        public Hint hint(int fromTier, Query query, int tokens) {
            if (fromTier == ctx.tiers().size() - 1) {
                return hint(query, tokens);
            }
            return armFallbackOnFailure(() -> ctx.hint(fromTier, query, tokens));
        }

        @Override
        public Hint hint(Query query, int tokens) {
            if (large == null) {
                return armFallbackOnFailure(() -> ctx.hint(query, tokens));
            }
            boolean continuation = placement == HintPlacement.CONTINUATION;
            int mark = mark();
            large.arm(continuation ? LiveStream.this::emit : LiveStream.this::think);
            try {
                return ctx.hint(query, tokens);
            } catch (ModelCallException e) {
                String streamed = sentSince(mark);
                if (!continuation || streamed.isEmpty() || failureMode == FailureMode.STRICT) {
                    small.arm(LiveStream.this::emit);
                    throw e;
                }
                // The caller has the hint's first words as the answer's start: the small model goes on from them.
                log.warn("the large model failed mid-hint after {} chars; the small model continues from them: {}",
                        streamed.length(), e.getMessage());
                notes.add(ShepherdResult.NOTE_LARGE_UNAVAILABLE);
                notes.add(NOTE_CONTINUED);
                return new Hint(streamed, 0, null);
            } finally {
                large.arm(null);
            }
        }

        /**
         * The other model continues {@code request} from its prefix plus what was streamed; the result reads as
         * the failed call's would have (text without the request's own prefix).
         */
        private Completion continueWith(boolean smallContinues, GenerationRequest request, String streamed,
                                        ModelCallException failure) {
            String prefix = (request.assistantPrefix() == null ? "" : request.assistantPrefix()) + streamed;
            GenerationRequest rest = request.toBuilder().assistantPrefix(prefix).build();
            log.warn("the {} model failed after {} streamed chars; the {} model continues from them: {}",
                    smallContinues ? "large" : "small", streamed.length(), smallContinues ? "small" : "large",
                    failure.getMessage());
            StreamingGenerator next = smallContinues ? small : large;
            if (next != null) {
                next.arm(LiveStream.this::emit);
            }
            Completion c;
            try {
                c = smallContinues ? ctx.small(rest, CallPurpose.ANSWER) : ctx.large(rest, CallPurpose.ANSWER);
            } catch (ShepherdException e) {
                failure.addSuppressed(e);
                throw failure;
            } finally {
                if (next != null) {
                    next.arm(null);
                }
            }
            notes.add(NOTE_CONTINUED);
            if (next == null) {
                emit(c.text()); // a large model that does not stream: its continuation in one partial
            }
            return new Completion(streamed + c.text(), c.inputTokens(), c.outputTokens(), c.finishReason(),
                    c.tokenEntropies());
        }

        /** Sends the part of an answer's assistant prefix (a continuation hint) that the caller has not seen. */
        private void sendPrefix(String prefix) {
            if (prefix == null || prefix.isEmpty()) {
                return;
            }
            String streamed = sentText();
            if (prefix.startsWith(streamed)) {
                emit(prefix.substring(streamed.length()));
            }
        }

        /** A large-model call that nothing streams from: if it fails, the executor's small fallback streams. */
        private <T> T armFallbackOnFailure(Supplier<T> call) {
            try {
                return call.get();
            } catch (ShepherdException e) {
                small.arm(LiveStream.this::emit);
                throw e;
            }
        }
    }
}
