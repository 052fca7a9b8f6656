package dev.shepherd.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.run.ShepherdResult;
import java.util.List;
import java.util.Objects;
import java.util.Map;

/**
 * The metadata of a shepherded response: besides LangChain4j's id (the ledger's request id), model
 * name (the model whose text answers), finish reason and token usage (the sum over every call
 * made), it carries what shepherd decided and spent: the policy, the {@link Decision}, the hint
 * bought, the usage of each side, the dollars, every call and the notes
 * ({@link ShepherdResult#NOTE_LARGE_UNAVAILABLE}, {@link ShepherdResult#NOTE_SPEND_CAP}, policy notes).
 *
 * <p>Read it with {@code (ShepherdChatResponseMetadata) response.metadata()}. Immutable;
 * {@link #toBuilder()} copies every field (do not use {@code ChatResponse.toBuilder()} to change the
 * token usage of a response: build a new metadata instead).
 */
public class ShepherdChatResponseMetadata extends ChatResponseMetadata {

    private final String policy;
    private final Decision decision;
    private final int hintTokens;
    private final String hintText;
    private final TokenUsage smallTokenUsage;
    private final TokenUsage largeTokenUsage;
    private final double costUsd;
    private final List<CallRecord> calls;
    private final List<String> notes;

    protected ShepherdChatResponseMetadata(Builder b) {
        super(b);
        this.policy = Objects.requireNonNull(b.policy, "policy");
        this.decision = Objects.requireNonNull(b.decision, "decision");
        this.hintTokens = b.hintTokens;
        this.hintText = b.hintText;
        this.smallTokenUsage = b.smallTokenUsage == null ? new TokenUsage(0, 0) : b.smallTokenUsage;
        this.largeTokenUsage = b.largeTokenUsage == null ? new TokenUsage(0, 0) : b.largeTokenUsage;
        this.costUsd = b.costUsd;
        this.calls = b.calls == null ? List.of() : List.copyOf(b.calls);
        this.notes = b.notes == null ? List.of() : List.copyOf(b.notes);
    }

    /** The policy's name. */
    public String policy() {
        return policy;
    }

    /** What the policy decided (after any fallback: {@code SMALL_ONLY} when the large model was skipped). */
    public Decision decision() {
        return decision;
    }

    /** Large-model output tokens bought as the hint, 0 without one. */
    public int hintTokens() {
        return hintTokens;
    }

    /** The hint's text (untrusted large-model output), or {@code null} without one. */
    public String hintText() {
        return hintText;
    }

    /** Tokens of all small-model calls. */
    public TokenUsage smallTokenUsage() {
        return smallTokenUsage;
    }

    /** Tokens of all large-model calls (hints included). */
    public TokenUsage largeTokenUsage() {
        return largeTokenUsage;
    }

    /** Dollars of all calls under the configured cost model. */
    public double costUsd() {
        return costUsd;
    }

    /** Every model call, in order. */
    public List<CallRecord> calls() {
        return calls;
    }

    /** Flags such as {@code llm-unavailable}, {@code spend-cap}, {@code entropy-from-answers}. */
    public List<String> notes() {
        return notes;
    }

    /**
     * Whether one model was skipped or failed and the other answered in its place (the notes
     * {@code llm-unavailable}, {@code spend-cap} or {@code slm-unavailable}); see {@link ShepherdResult#degraded()}.
     */
    public boolean degraded() {
        return notes.contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE) || notes.contains(ShepherdResult.NOTE_SPEND_CAP)
                || notes.contains(ShepherdResult.NOTE_SMALL_UNAVAILABLE);
    }

    /**
     * The name of the tier whose call is the answer ({@code "small"}/{@code "large"} without a ladder),
     * or {@code null} when no recorded call produced it.
     */
    public String answeredByTier() {
        CallRecord c = CallRecord.answering(calls(), notes.contains(ShepherdResult.NOTE_LARGE_UNAVAILABLE)
                || notes.contains(ShepherdResult.NOTE_SPEND_CAP));
        return c == null ? null : c.tier();
    }

    /** Dollars per tier name of this request, in order of first call. */
    public Map<String, Double> costByTier() {
        return CallRecord.costByTier(calls());
    }

    @Override
    public Builder toBuilder() {
        Builder b = (Builder) toBuilder(new Builder());
        return b.policy(policy).decision(decision).hintTokens(hintTokens).hintText(hintText)
                .smallTokenUsage(smallTokenUsage).largeTokenUsage(largeTokenUsage).costUsd(costUsd)
                .calls(calls).notes(notes);
    }

    /** A builder with every field unset. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShepherdChatResponseMetadata that) || !super.equals(o)) {
            return false;
        }
        return hintTokens == that.hintTokens && Double.compare(costUsd, that.costUsd) == 0
                && policy.equals(that.policy) && decision.equals(that.decision)
                && Objects.equals(hintText, that.hintText) && smallTokenUsage.equals(that.smallTokenUsage)
                && largeTokenUsage.equals(that.largeTokenUsage) && calls.equals(that.calls) && notes.equals(that.notes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), policy, decision, hintTokens, hintText, smallTokenUsage, largeTokenUsage,
                costUsd, calls, notes);
    }

    @Override
    public String toString() {
        return "ShepherdChatResponseMetadata{id=" + id() + ", modelName=" + modelName() + ", tokenUsage=" + tokenUsage()
                + ", finishReason=" + finishReason() + ", policy=" + policy + ", decision=" + decision
                + ", hintTokens=" + hintTokens + ", small=" + smallTokenUsage + ", large=" + largeTokenUsage
                + ", costUsd=" + costUsd + ", notes=" + notes + "}";
    }

    /** Not thread-safe; the built metadata is. */
    public static class Builder extends ChatResponseMetadata.Builder<Builder> {
        private String policy;
        private Decision decision;
        private int hintTokens;
        private String hintText;
        private TokenUsage smallTokenUsage;
        private TokenUsage largeTokenUsage;
        private double costUsd;
        private List<CallRecord> calls;
        private List<String> notes;

        /** The policy's name. Required. */
        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        /** The decision taken. Required. */
        public Builder decision(Decision decision) {
            this.decision = decision;
            return this;
        }

        /** Hint tokens bought, ≥ 0. */
        public Builder hintTokens(int hintTokens) {
            if (hintTokens < 0) {
                throw new IllegalArgumentException("hintTokens must be >= 0 but was " + hintTokens);
            }
            this.hintTokens = hintTokens;
            return this;
        }

        /** The hint's text, or {@code null}. */
        public Builder hintText(String hintText) {
            this.hintText = hintText;
            return this;
        }

        /** Tokens of the small model's calls; zero when unset. */
        public Builder smallTokenUsage(TokenUsage usage) {
            this.smallTokenUsage = usage;
            return this;
        }

        /** Tokens of the large model's calls; zero when unset. */
        public Builder largeTokenUsage(TokenUsage usage) {
            this.largeTokenUsage = usage;
            return this;
        }

        /** Dollars of all calls, finite and ≥ 0. */
        public Builder costUsd(double costUsd) {
            if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
                throw new IllegalArgumentException("costUsd must be finite and >= 0 but was " + costUsd);
            }
            this.costUsd = costUsd;
            return this;
        }

        /** Every call, in order; none when unset. */
        public Builder calls(List<CallRecord> calls) {
            this.calls = calls;
            return this;
        }

        /** Notes; none when unset. */
        public Builder notes(List<String> notes) {
            this.notes = notes;
            return this;
        }

        /** @throws NullPointerException when policy or decision is missing */
        @Override
        public ShepherdChatResponseMetadata build() {
            return new ShepherdChatResponseMetadata(this);
        }
    }
}
