package dev.shepherd.reliability.support;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-side ground truth of the load test: wraps a real client and counts the token usage of every
 * response it parsed, independently of shepherd's ledger. Thread-safe.
 */
public final class CountingChatModel implements ChatModel {

    private final ChatModel delegate;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong input = new AtomicLong();
    private final AtomicLong output = new AtomicLong();

    public CountingChatModel(ChatModel delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ChatResponse r = delegate.chat(request);
        TokenUsage u = r.tokenUsage();
        calls.incrementAndGet();
        if (u != null) {
            input.addAndGet(u.inputTokenCount() == null ? 0 : u.inputTokenCount());
            output.addAndGet(u.outputTokenCount() == null ? 0 : u.outputTokenCount());
        }
        return r;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }

    /** Responses parsed. */
    public long calls() {
        return calls.get();
    }

    /** Prompt tokens of the parsed responses. */
    public long input() {
        return input.get();
    }

    /** Completion tokens of the parsed responses. */
    public long output() {
        return output.get();
    }

    /** The counts now, detached from the client (holding the client would keep its threads alive). */
    public Parsed snapshot() {
        return new Parsed(calls.get(), input.get(), output.get());
    }

    /** Counts of parsed responses. Immutable. */
    public record Parsed(long calls, long input, long output) {
        @Override
        public String toString() {
            return calls + " calls, " + input + " in / " + output + " out";
        }
    }
}
