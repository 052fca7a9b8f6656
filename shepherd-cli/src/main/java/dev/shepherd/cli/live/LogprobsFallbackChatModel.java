package dev.shepherd.cli.live;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.shepherd.langchain4j.InvalidChatRequestException;
import dev.shepherd.llamacpp.PromptTooLongException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small model's OpenAI-compatible client that asks for log-probabilities (for the token-entropy feature of
 * reactive shepherding) and carries on without them when the server refuses them: a 4xx answer mentioning
 * {@code logprobs}, or any 4xx other than authentication, unknown model and rate limit while no call with
 * log-probabilities has succeeded yet. Then it prints one warning, repeats that request without log-probabilities
 * and never asks for them again.
 *
 * <p>Thread-safe when the wrapped clients are (LangChain4j's HTTP clients are); the warning is printed once even
 * when concurrent first calls are refused together.
 */
final class LogprobsFallbackChatModel implements ChatModel {

    private final ChatModel withLogprobs;
    private final ChatModel withoutLogprobs;
    private final String model;
    private final String url;
    private final PrintWriter warnings;
    private final AtomicBoolean off = new AtomicBoolean();
    private final AtomicBoolean accepted = new AtomicBoolean();

    /**
     * @param withLogprobs the client asking for log-probabilities
     * @param withoutLogprobs the same client without them
     * @param model the model's display name, for the warning
     * @param url the endpoint, for the warning
     * @param warnings where the one warning goes (stderr)
     */
    LogprobsFallbackChatModel(ChatModel withLogprobs, ChatModel withoutLogprobs, String model, String url,
                              PrintWriter warnings) {
        this.withLogprobs = Objects.requireNonNull(withLogprobs, "withLogprobs");
        this.withoutLogprobs = Objects.requireNonNull(withoutLogprobs, "withoutLogprobs");
        this.model = Objects.requireNonNull(model, "model");
        this.url = Objects.requireNonNull(url, "url");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** Whether log-probabilities are still asked for (false once the server refused them). */
    boolean asksForLogprobs() {
        return !off.get();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        if (off.get()) {
            return withoutLogprobs.chat(request);
        }
        try {
            ChatResponse response = withLogprobs.chat(request);
            accepted.set(true);
            return response;
        } catch (RuntimeException e) {
            String refusal = refusal(e, !accepted.get());
            if (refusal == null) {
                throw e;
            }
            if (off.compareAndSet(false, true)) {
                synchronized (warnings) {
                    warnings.println("warning: the small model " + model + " at " + url + " refused log-probabilities ("
                            + refusal + "); continuing without them, so mean_entropy is the entropy of the sampled "
                            + "answers (pass --no-slm-logprobs to skip this check)");
                    warnings.flush();
                }
            }
            return withoutLogprobs.chat(request);
        }
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return chat(request);
    }

    /**
     * Why {@code e} is a refusal of log-probabilities, or {@code null} when it is not.
     *
     * @param first whether no call with log-probabilities has succeeded yet
     */
    static String refusal(Throwable e, boolean first) {
        if (e instanceof PromptTooLongException || e instanceof InvalidChatRequestException) {
            return null; // shepherd's own local checks: they say nothing about the backend's log-probabilities
        }
        Integer status = null;
        boolean mentionsLogprobs = false;
        boolean tooLong = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (status == null && t instanceof HttpException http) {
                status = http.statusCode();
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            mentionsLogprobs |= message.contains("logprob");
            tooLong |= message.contains("context length") || message.contains("too long")
                    || message.contains("maximum context");
        }
        if (status == null && e instanceof InvalidRequestException) {
            status = 400;
        }
        if (status == null || status < 400 || status >= 500) {
            return null;
        }
        if (mentionsLogprobs) {
            return "HTTP " + status + " mentioning logprobs";
        }
        boolean unrelated = e instanceof AuthenticationException || e instanceof ModelNotFoundException
                || e instanceof RateLimitException || status == 401 || status == 403 || status == 404 || status == 408
                || status == 429 || tooLong;
        return first && !unrelated ? "HTTP " + status + " on the first call with logprobs" : null;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return withoutLogprobs.defaultRequestParameters();
    }

    @Override
    public ModelProvider provider() {
        return withoutLogprobs.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return withoutLogprobs.supportedCapabilities();
    }

    @Override
    public String toString() {
        return "LogprobsFallbackChatModel[" + model + " at " + url + (off.get() ? ", logprobs off" : "") + "]";
    }
}
