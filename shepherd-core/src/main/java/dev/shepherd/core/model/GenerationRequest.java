package dev.shepherd.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One call to a {@link Generator}: the messages, an optional output-token cap and sampling.
 * Immutable; build with {@link #builder()}.
 *
 * @param messages        the prompt, at least one message
 * @param maxOutputTokens output-token cap, or {@code null} for the backend's default; hints are
 *                        bought by setting it to the hint size
 * @param sampling        temperature and top-p, or {@code null} for the backend's default
 * @param logprobs        whether to ask for per-token log-probabilities (for entropy features)
 * @param assistantPrefix text the assistant's answer must continue from (continuation-style hints
 *                        and SLM-initiated help), or {@code null}
 * @param stop            stop sequences, possibly empty
 */
public record GenerationRequest(
        List<PromptMessage> messages,
        Integer maxOutputTokens,
        Sampling sampling,
        boolean logprobs,
        String assistantPrefix,
        List<String> stop) {

    /** Copies the lists and validates the cap. */
    public GenerationRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        if (maxOutputTokens != null && maxOutputTokens <= 0) {
            throw new IllegalArgumentException("maxOutputTokens must be > 0 but was " + maxOutputTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** A builder; messages are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        return new Builder().messages(messages).maxOutputTokens(maxOutputTokens).sampling(sampling)
                .logprobs(logprobs).assistantPrefix(assistantPrefix).stop(stop);
    }

    /** Not thread-safe; the built request is. */
    public static final class Builder {
        private List<PromptMessage> messages = List.of();
        private Integer maxOutputTokens;
        private Sampling sampling;
        private boolean logprobs;
        private String assistantPrefix;
        private List<String> stop = List.of();

        private Builder() {
        }

        /** The prompt, at least one message. */
        public Builder messages(List<PromptMessage> messages) {
            this.messages = messages;
            return this;
        }

        /** The output cap (&gt; 0), or {@code null} for the backend's default. */
        public Builder maxOutputTokens(Integer maxOutputTokens) {
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        /** Temperature and top-p, or {@code null} for the backend's default. */
        public Builder sampling(Sampling sampling) {
            this.sampling = sampling;
            return this;
        }

        /** Whether to ask for per-token log-probabilities. */
        public Builder logprobs(boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /** Text the answer must continue from, or {@code null}. */
        public Builder assistantPrefix(String assistantPrefix) {
            this.assistantPrefix = assistantPrefix;
            return this;
        }

        /** Stop sequences. */
        public Builder stop(List<String> stop) {
            this.stop = stop;
            return this;
        }

        /** @throws IllegalArgumentException when messages are empty or the cap is not positive */
        public GenerationRequest build() {
            return new GenerationRequest(messages, maxOutputTokens, sampling, logprobs, assistantPrefix, stop);
        }
    }
}
