package dev.shepherd.langchain4j;

import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.policy.PolicyContext;
import dev.shepherd.core.policy.PolicyOutcome;
import dev.shepherd.core.policy.ShepherdingPolicy;

/**
 * Wraps the user's policy for one chat request, so the caller's request shapes the calls without a
 * second engine: the policy sees a {@link PolicyContext} that
 * <ul>
 *   <li>applies the caller's {@code maxOutputTokens}, temperature, top-p and stop sequences to
 *       {@link CallPurpose#ANSWER} calls (never to samples or hints);</li>
 *   <li>rejects a hint longer than the caller's {@code maxOutputTokens} before buying it;</li>
 *   <li>tells an {@link AnswerListener} when the small model's answer call starts and ends (streaming).</li>
 * </ul>
 * Created per request; not shared. The name is the wrapped policy's, so ledger entries read the same.
 */
final class RequestScopedPolicy implements ShepherdingPolicy {

    /** Notified around the small model's {@link CallPurpose#ANSWER} call. */
    interface AnswerListener {
        /** Called just before the answer call, with the request as it will be sent. */
        void beforeAnswer(GenerationRequest request);

        /** Called when the answer call has returned or failed. */
        void afterAnswer();
    }

    private final ShepherdingPolicy delegate;
    private final ParsedChatRequest request;
    private final AnswerListener listener;

    /** @param listener notified around the small model's answer call, or {@code null} */
    RequestScopedPolicy(ShepherdingPolicy delegate, ParsedChatRequest request, AnswerListener listener) {
        this.delegate = delegate;
        this.request = request;
        this.listener = listener;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        return delegate.apply(query, new ScopedContext(context));
    }

    /** Shapes the answer calls and checks hint sizes; {@link ForwardingPolicyContext} forwards the rest. */
    private final class ScopedContext extends ForwardingPolicyContext {

        ScopedContext(PolicyContext ctx) {
            super(ctx);
        }

        @Override
        public Completion small(GenerationRequest generation, CallPurpose purpose) {
            if (purpose != CallPurpose.ANSWER) {
                return ctx.small(generation, purpose);
            }
            GenerationRequest answer = shape(generation);
            if (listener == null) {
                return ctx.small(answer, purpose);
            }
            listener.beforeAnswer(answer);
            try {
                return ctx.small(answer, purpose);
            } finally {
                listener.afterAnswer();
            }
        }

        @Override
        public Completion large(GenerationRequest generation, CallPurpose purpose) {
            return ctx.large(purpose == CallPurpose.ANSWER ? shape(generation) : generation, purpose);
        }

        @Override
        public Hint hint(Query query, int tokens) {
            Integer cap = request.maxOutputTokens();
            if (cap != null && tokens > cap) {
                throw new InvalidChatRequestException("chatRequest.maxOutputTokens (" + cap + ") is smaller than the "
                        + tokens + "-token hint policy '" + delegate.name() + "' chose; raise maxOutputTokens to at "
                        + "least the policy's largest hint (η_hint) or leave it unset. No hint was bought.");
            }
            return ctx.hint(query, tokens);
        }

        private GenerationRequest shape(GenerationRequest g) {
            GenerationRequest.Builder b = g.toBuilder();
            if (request.maxOutputTokens() != null && g.maxOutputTokens() == null) {
                b.maxOutputTokens(request.maxOutputTokens());
            }
            if (request.temperature() != null || request.topP() != null) {
                b.sampling(request.answerSampling(g.sampling() != null ? g.sampling() : ctx.sampling()));
            }
            if (!request.stop().isEmpty() && g.stop().isEmpty()) {
                b.stop(request.stop());
            }
            return b.build();
        }

        @Override
        public Completion tier(int index, GenerationRequest generation, CallPurpose purpose) {
            // The ends go through small()/large() above, so they are shaped and listened to as before.
            int top = ctx.tiers().size() - 1;
            if (index == 0) {
                return small(generation, purpose);
            }
            if (index == top) {
                return large(generation, purpose);
            }
            return ctx.tier(index, purpose == CallPurpose.ANSWER ? shape(generation) : generation, purpose);
        }

        @Override
        public Hint hint(int fromTier, Query query, int tokens) {
            if (fromTier == ctx.tiers().size() - 1) {
                return hint(query, tokens);
            }
            Integer cap = request.maxOutputTokens();
            if (cap != null && tokens > cap) {
                return hint(query, tokens); // throws the same InvalidChatRequestException, before buying
            }
            return ctx.hint(fromTier, query, tokens);
        }
    }
}
