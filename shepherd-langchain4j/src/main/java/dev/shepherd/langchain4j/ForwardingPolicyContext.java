package dev.shepherd.langchain4j;

import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.policy.PolicyContext;
import dev.shepherd.core.prompt.HintPlacement;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.tier.Tiers;

/**
 * A policy context that wraps the executor's and changes some model calls. It forwards what describes the request
 * (template, extractor, sampling, hint placement, the ladder) and {@code offerFallback}, a default method the
 * executor's context overrides; a wrapper that left one of these to {@link PolicyContext}'s default would silently
 * lose it. The model calls ({@code small}, {@code large}, {@code hint}, {@code tier}) are the subclass's: left to the
 * interface's defaults, the tier and hint-from-tier calls route through the subclass's own {@code small}/{@code large}.
 */
abstract class ForwardingPolicyContext implements PolicyContext {

    /** The executor's context. */
    protected final PolicyContext ctx;

    ForwardingPolicyContext(PolicyContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Tiers tiers() {
        return ctx.tiers();
    }

    @Override
    public void offerFallback(Completion answer) {
        ctx.offerFallback(answer);
    }

    @Override
    public PromptTemplate template() {
        return ctx.template();
    }

    @Override
    public AnswerExtractor extractor() {
        return ctx.extractor();
    }

    @Override
    public Sampling sampling() {
        return ctx.sampling();
    }

    @Override
    public HintPlacement hintPlacement() {
        return ctx.hintPlacement();
    }
}
