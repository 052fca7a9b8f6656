package dev.shepherd.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.PromptMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Maps shepherd's provider-neutral requests and completions to LangChain4j's and back. Thread-safe (stateless). */
final class Conversions {

    private Conversions() {
    }

    /**
     * The LangChain4j request for a generation request: messages in order, then the assistant prefix
     * (if any) as a final {@link AiMessage} for the backend to continue; output cap, temperature,
     * top-p and stop sequences when set.
     */
    static ChatRequest toChatRequest(GenerationRequest request) {
        List<ChatMessage> messages = new ArrayList<>(request.messages().size() + 1);
        for (PromptMessage m : request.messages()) {
            messages.add(toChatMessage(m));
        }
        if (request.assistantPrefix() != null && !request.assistantPrefix().isEmpty()) {
            messages.add(AiMessage.from(request.assistantPrefix()));
        }
        ChatRequest.Builder b = ChatRequest.builder().messages(messages).maxOutputTokens(request.maxOutputTokens());
        if (request.sampling() != null) {
            b.temperature(request.sampling().temperature()).topP(request.sampling().topP());
        }
        if (!request.stop().isEmpty()) {
            b.stopSequences(request.stop());
        }
        return b.build();
    }

    static ChatMessage toChatMessage(PromptMessage m) {
        switch (m.role()) {
            case SYSTEM:
                return SystemMessage.from(m.text());
            case ASSISTANT:
                return AiMessage.from(m.text());
            default:
                return UserMessage.from(m.text());
        }
    }

    /**
     * The completion for a response.
     *
     * @param fail                 builds the exception for an unusable response from a description
     * @param estimateMissingUsage estimate token counts ({@link #estimateTokens(String)}) when the
     *                             backend reports none, instead of failing
     */
    static Completion toCompletion(GenerationRequest request, ChatResponse response, boolean estimateMissingUsage,
                                          BiFunction<String, Throwable, RuntimeException> fail) {
        if (response == null || response.aiMessage() == null) {
            throw fail.apply("returned no response", null);
        }
        String text = response.aiMessage().text() == null ? "" : response.aiMessage().text();
        // A capped prefix cut at whitespace, or a continuation with nothing to add, may rightly be
        // blank; core decides whether the call's purpose allows that.
        boolean mayBeBlank = finishReason(response) == FinishReason.LENGTH
                || request.assistantPrefix() != null;
        if (text.isBlank() && !mayBeBlank) {
            throw fail.apply("returned empty text (finish reason " + response.finishReason()
                    + (response.aiMessage().hasToolExecutionRequests() ? ", tool calls only" : "") + ")", null);
        }
        TokenUsage usage = response.tokenUsage();
        Integer in = usage == null ? null : usage.inputTokenCount();
        Integer out = usage == null ? null : usage.outputTokenCount();
        if (in == null || out == null) {
            if (!estimateMissingUsage) {
                throw fail.apply("reported no token usage (" + usage + "); shepherd prices every call from it. "
                        + "Use a backend that reports usage or enable estimateMissingUsage", null);
            }
            in = in != null ? in : estimateInput(request);
            out = out != null ? out : estimateTokens(text);
        }
        return new Completion(text, in, out, finishReason(response),
                EntropyReader.read(response.metadata()));
    }

    /**
     * The response's finish reason in core's terms: LENGTH and STOP map to themselves; anything else
     * (tool calls, content filter, unknown, none) is OTHER. {@link Responses} maps back.
     */
    static FinishReason finishReason(ChatResponse response) {
        if (response.finishReason() == null) {
            return FinishReason.OTHER;
        }
        // LangChain4j's enum shares core's simple name; its constants need no type name in a switch.
        return switch (response.finishReason()) {
            case LENGTH -> FinishReason.LENGTH;
            case STOP -> FinishReason.STOP;
            default -> FinishReason.OTHER;
        };
    }

    /**
     * A token-count estimate for a backend that reports none: one token per four UTF-8 bytes,
     * rounded up (the usual rule of thumb for English BPE), at least one for non-empty text.
     */
    static int estimateTokens(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return bytes == 0 ? 0 : Math.max(1, (bytes + 3) / 4);
    }

    private static int estimateInput(GenerationRequest request) {
        int sum = 0;
        for (PromptMessage m : request.messages()) {
            sum += estimateTokens(m.text());
        }
        return request.assistantPrefix() == null ? sum : sum + estimateTokens(request.assistantPrefix());
    }
}
