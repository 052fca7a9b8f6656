package dev.shepherd.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.shepherd.core.Decision;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.run.ShepherdResult;

/** Builds the LangChain4j response of a shepherded request. Thread-safe (stateless). */
final class Responses {

    private Responses() {
    }

    /** The response: the answer's text, token usage summed over every call, and shepherd's metadata. */
    static ChatResponse toChatResponse(ShepherdResult result, String policy, String smallName, String largeName) {
        boolean largeAnswered = result.decision().kind() == Decision.Kind.LARGE_FULL
                || result.notes().contains("hint-was-complete");
        ShepherdChatResponseMetadata metadata = ShepherdChatResponseMetadata.builder()
                .id(result.requestId())
                // On a ladder the answering call names its model; the two names remain the fallback.
                .modelName(result.answeredBy() != null ? result.answeredBy().model()
                        : largeAnswered ? largeName : smallName)
                .tokenUsage(usage(result))
                .finishReason(finishReason(result))
                .policy(policy)
                .decision(result.decision())
                .hintTokens(result.hint() == null ? 0 : result.hint().tokens())
                .hintText(result.hint() == null ? null : result.hint().text())
                .smallTokenUsage(usage(result, ModelRole.SMALL))
                .largeTokenUsage(usage(result, ModelRole.LARGE))
                .costUsd(result.costUsd())
                .calls(result.calls())
                .notes(result.notes())
                .build();
        return ChatResponse.builder().aiMessage(AiMessage.from(result.text())).metadata(metadata).build();
    }

    /** Tokens summed over calls of one side. */
    static TokenUsage usage(ShepherdResult result, ModelRole role) {
        return new TokenUsage((int) result.tokens(role, false), (int) result.tokens(role, true));
    }

    /** Tokens summed over every call, both sides. */
    static TokenUsage usage(ShepherdResult result) {
        return TokenUsage.sum(usage(result, ModelRole.SMALL), usage(result, ModelRole.LARGE));
    }

    /** The answer's finish reason in LangChain4j's terms, the inverse of {@link Conversions#finishReason}. */
    static FinishReason finishReason(ShepherdResult result) {
        // Core's enum shares LangChain4j's simple name; its constants need no type name in a switch.
        return switch (result.answer().finishReason()) {
            case LENGTH -> FinishReason.LENGTH;
            case STOP -> FinishReason.STOP;
            case OTHER -> FinishReason.OTHER;
        };
    }
}
