package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.tier.Tiers;
import java.util.List;

/**
 * What a policy may do within one request. Every call goes through here, so the executor can
 * price it, enforce the spend cap and record it in the request's trace. One context serves one
 * request on one thread; it is not shared.
 */
public interface PolicyContext {

    /** Calls the small model. */
    Completion small(GenerationRequest request, CallPurpose purpose);

    /** Calls the large model (checked against the spend cap first). */
    Completion large(GenerationRequest request, CallPurpose purpose);

    /** Buys a hint of at most {@code tokens} tokens from the large model. */
    Hint hint(Query query, int tokens);

    /** The prompt template of the executor (the same for both models). */
    PromptTemplate template();

    /** How final answers are extracted, to compare samples. */
    AnswerExtractor extractor();

    /** Sampling for answers and samples (the paper: T = 0.3, top-p 0.95). */
    Sampling sampling();

    /** How hints reach the small model. */
    HintPlacement hintPlacement();

    /**
     * Offers the small-model answer that the executor should return if a later large-model call
     * fails or is refused by the spend cap (in {@link dev.shepherd.core.run.FailureMode#FALLBACK_TO_SMALL}).
     * Policies whose small-model text needs post-processing (a confidence line removed, a help
     * marker cut) offer the cleaned answer here, so the fallback needs no extra small-model call.
     * Without an offer the executor reuses the last small-model answer or sample, or asks the small
     * model again. The default does nothing.
     */
    default void offerFallback(Completion answer) {
    }

    /**
     * The small model's answer, with the hint placed as configured ({@code null}: no hint). With
     * {@link HintPlacement#CONTINUATION} the returned text starts with the hint.
     */
    default Completion answerSmall(Query query, Hint hint) {
        boolean continuation = hint != null && hintPlacement() == HintPlacement.CONTINUATION;
        GenerationRequest.Builder request = GenerationRequest.builder()
                .messages(template().messages(query, continuation || hint == null ? null : hint.text()))
                .sampling(sampling());
        if (continuation) {
            request.assistantPrefix(hint.text());
        }
        Completion c = small(request.build(), CallPurpose.ANSWER);
        if (!continuation) {
            return c;
        }
        return new Completion(hint.text() + c.text(), c.inputTokens(), c.outputTokens(), c.finishReason(),
                c.tokenEntropies());
    }

    /**
     * Carries out a decision: the small model alone, a hint of n tokens then the small model, or
     * the large model's full answer. A hint that came back complete (the large model finished
     * within n tokens) is itself the answer, and the small model is not called. A blank hint is
     * paid for but not given: the small model answers alone, the outcome says {@code SMALL_ONLY}
     * with the note {@code hint-was-blank}.
     */
    default PolicyOutcome execute(Query query, Decision decision) {
        switch (decision.kind()) {
            case SMALL_ONLY:
                return PolicyOutcome.of(answerSmall(query, null), decision);
            case LARGE_FULL:
                return PolicyOutcome.of(answerLarge(query), decision);
            default:
                Hint hint = hint(query, decision.hintTokens());
                Completion src = hint.source();
                if (src != null && src.finishReason() == FinishReason.STOP) {
                    return new PolicyOutcome(src, decision, hint, List.of("hint-was-complete"));
                }
                if (hint.text() == null || hint.text().isBlank()) {
                    // Paid for (the ledger keeps the call) but nothing reaches the small model: say so, and do not
                    // report a hint that was never given.
                    return new PolicyOutcome(answerSmall(query, null), Decision.smallOnly(), null,
                            List.of("hint-was-blank"));
                }
                return new PolicyOutcome(answerSmall(query, hint), decision, hint, List.of());
        }
    }

    /** The large model's full answer. */
    default Completion answerLarge(Query query) {
        return large(GenerationRequest.builder()
                .messages(template().messages(query, null))
                .sampling(sampling())
                .build(), CallPurpose.ANSWER);
    }

    /**
     * The ladder this request runs on, cheapest first: the executor's {@link Tiers}, or the two-model
     * ladder of its small and large model (tiers {@code "small"} and {@code "large"}). The default
     * throws: a context that wraps another must forward this.
     */
    default Tiers tiers() {
        throw new UnsupportedOperationException(getClass().getName() + " does not know the ladder");
    }

    /**
     * Calls tier {@code index} of {@link #tiers()}: the bottom is {@link #small}, the top is
     * {@link #large}, a middle tier is priced at its own rates, checked against the spend cap and,
     * when it fails, handled like the large model (the executor's failure mode decides). The call is
     * recorded with the tier's name.
     *
     * @throws IndexOutOfBoundsException when there is no such tier
     */
    default Completion tier(int index, GenerationRequest request, CallPurpose purpose) {
        int top = tiers().size() - 1;
        if (index == 0) {
            return small(request, purpose);
        }
        if (index == top) {
            return large(request, purpose);
        }
        throw new UnsupportedOperationException(getClass().getName() + " cannot call middle tier " + index);
    }

    /**
     * Buys a hint of at most {@code tokens} tokens from tier {@code fromTier} (≥ 1): from the top it is
     * {@link #hint(Query, int)} (the executor's hint provider); from a middle tier, that tier's capped
     * answer to the same prompt at temperature 0, as the default provider does with the large model.
     */
    default Hint hint(int fromTier, Query query, int tokens) {
        if (fromTier == tiers().size() - 1) {
            return hint(query, tokens);
        }
        if (fromTier <= 0) {
            throw new IllegalArgumentException("hints come from a tier above the bottom but fromTier was " + fromTier);
        }
        Completion c = tier(fromTier, GenerationRequest.builder()
                .messages(template().messages(query, null))
                .maxOutputTokens(tokens)
                .sampling(Sampling.GREEDY)
                .build(), CallPurpose.HINT);
        return new Hint(c.text(), Math.min(c.outputTokens(), tokens), c);
    }
}
