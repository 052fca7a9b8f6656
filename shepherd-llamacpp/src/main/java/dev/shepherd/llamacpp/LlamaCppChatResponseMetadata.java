package dev.shepherd.llamacpp;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.Objects;

/**
 * Response metadata of {@link LlamaCppChatModel}: LangChain4j's id, model name, token usage and
 * finish reason, plus what is needed to reproduce or audit the call: the exact prompt text the
 * engine completed, the sampling seed, the prefilled assistant text that was continued and the
 * stop sequence that ended generation. Immutable, thread-safe.
 *
 * <p>Change fields through {@link #toBuilder()}: it returns this class's builder, so unlike the
 * base class's it keeps the extra fields.
 */
public final class LlamaCppChatResponseMetadata extends ChatResponseMetadata {

    private final String renderedPrompt;
    private final String prefill;
    private final int seed;
    private final String stopSequence;

    private LlamaCppChatResponseMetadata(Builder builder) {
        super(builder);
        this.renderedPrompt = Objects.requireNonNull(builder.renderedPrompt, "renderedPrompt");
        this.prefill = builder.prefill == null ? "" : builder.prefill;
        this.seed = builder.seed;
        this.stopSequence = builder.stopSequence;
    }

    /** The full prompt text given to the engine, prefilled assistant text included. */
    public String renderedPrompt() {
        return renderedPrompt;
    }

    /** The assistant text the model continued (empty when the last message was not an AiMessage). */
    public String prefill() {
        return prefill;
    }

    /** The sampling seed used; with the same request and seed, a sampled answer repeats. */
    public int seed() {
        return seed;
    }

    /** The stop sequence that ended generation, or {@code null} when none matched. */
    public String stopSequence() {
        return stopSequence;
    }

    @Override
    public Builder toBuilder() {
        Builder builder = (Builder) toBuilder(builder());
        return builder.renderedPrompt(renderedPrompt).prefill(prefill).seed(seed).stopSequence(stopSequence);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LlamaCppChatResponseMetadata other) || !super.equals(o)) {
            return false;
        }
        return seed == other.seed && renderedPrompt.equals(other.renderedPrompt) && prefill.equals(other.prefill)
                && Objects.equals(stopSequence, other.stopSequence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), renderedPrompt, prefill, seed, stopSequence);
    }

    @Override
    public String toString() {
        return "LlamaCppChatResponseMetadata{id=" + id() + ", modelName=" + modelName() + ", tokenUsage=" + tokenUsage()
                + ", finishReason=" + finishReason() + ", seed=" + seed + ", stopSequence=" + stopSequence
                + ", prefillChars=" + prefill.length() + ", promptChars=" + renderedPrompt.length() + '}';
    }

    /** A new builder. Not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link LlamaCppChatResponseMetadata}. Not thread-safe. */
    public static final class Builder extends ChatResponseMetadata.Builder<Builder> {

        private String renderedPrompt;
        private String prefill;
        private int seed;
        private String stopSequence;

        private Builder() {}

        /** Sets the prompt text given to the engine (required). */
        public Builder renderedPrompt(String renderedPrompt) {
            this.renderedPrompt = renderedPrompt;
            return this;
        }

        /** Sets the continued assistant text (null means none). */
        public Builder prefill(String prefill) {
            this.prefill = prefill;
            return this;
        }

        /** Sets the sampling seed used. */
        public Builder seed(int seed) {
            this.seed = seed;
            return this;
        }

        /** Sets the stop sequence that matched, or null. */
        public Builder stopSequence(String stopSequence) {
            this.stopSequence = stopSequence;
            return this;
        }

        @Override
        public LlamaCppChatResponseMetadata build() {
            return new LlamaCppChatResponseMetadata(this);
        }
    }
}
