package dev.shepherd.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.shepherd.core.Query;
import dev.shepherd.core.model.PromptMessage;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.run.RequestIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@code ChatRequest} checked and split into the shepherd {@link Query} (the last user message
 * is the question, every earlier message its context) and the caller's answer options. Immutable.
 *
 * @param query           the question with its context
 * @param maxOutputTokens the caller's cap on generated answer tokens, or {@code null}
 * @param temperature     the caller's temperature for answer calls, or {@code null}
 * @param topP            the caller's top-p for answer calls, or {@code null}
 * @param stop            the caller's stop sequences for answer calls, possibly empty
 */
record ParsedChatRequest(Query query, Integer maxOutputTokens, Double temperature, Double topP,
                                List<String> stop) {

    /**
     * Parses a request.
     *
     * @throws InvalidChatRequestException naming the field and value when the request cannot be shepherded
     */
    static ParsedChatRequest parse(ChatRequest request) {
        Objects.requireNonNull(request, "chatRequest");
        List<ChatMessage> messages = request.messages();
        if (messages == null || messages.isEmpty()) {
            throw new InvalidChatRequestException("chatRequest.messages must not be empty but was " + messages);
        }
        int last = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new InvalidChatRequestException("chatRequest.messages[" + i + "] must not be null");
            }
            if (messages.get(i) instanceof UserMessage) {
                last = i;
            }
        }
        if (last < 0) {
            throw new InvalidChatRequestException("chatRequest.messages must contain a UserMessage (the question) "
                    + "but had only " + types(messages));
        }
        if (last != messages.size() - 1) {
            throw new InvalidChatRequestException("chatRequest.messages must end with the UserMessage to answer but "
                    + "it was followed by " + types(messages.subList(last + 1, messages.size())));
        }
        List<PromptMessage> context = new ArrayList<>(last);
        for (int i = 0; i < last; i++) {
            context.add(toPromptMessage(messages.get(i), i));
        }
        String question = text((UserMessage) messages.get(last), last);
        Query query = new Query(RequestIds.next(), question, null, context);
        ChatRequestParameters p = request.parameters();
        checkParameters(p);
        List<String> stop = p.stopSequences() == null ? List.of() : List.copyOf(p.stopSequences());
        return new ParsedChatRequest(query, p.maxOutputTokens(), p.temperature(), p.topP(), stop);
    }

    /** The sampling of answer calls: the caller's temperature and top-p where set, else {@code base}'s. */
    public Sampling answerSampling(Sampling base) {
        if (temperature == null && topP == null) {
            return base;
        }
        return new Sampling(temperature != null ? temperature : base.temperature(), topP != null ? topP : base.topP());
    }

    private static void checkParameters(ChatRequestParameters p) {
        if (p.modelName() != null) {
            throw new InvalidChatRequestException("chatRequest.modelName must not be set (the policy picks the small or "
                    + "the large model per call) but was '" + p.modelName() + "'");
        }
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new InvalidChatRequestException("chatRequest.toolSpecifications are not supported by shepherding but "
                    + p.toolSpecifications().size() + " were given");
        }
        if (p.responseFormat() != null && p.responseFormat().type() != ResponseFormatType.TEXT) {
            throw new InvalidChatRequestException("chatRequest.responseFormat must be TEXT but was "
                    + p.responseFormat().type());
        }
        unsupported("topK", p.topK());
        unsupported("frequencyPenalty", p.frequencyPenalty());
        unsupported("presencePenalty", p.presencePenalty());
        if (p.maxOutputTokens() != null && p.maxOutputTokens() <= 0) {
            throw new InvalidChatRequestException("chatRequest.maxOutputTokens must be > 0 but was " + p.maxOutputTokens());
        }
        try {
            if (p.temperature() != null || p.topP() != null) {
                new Sampling(p.temperature() != null ? p.temperature() : Sampling.PAPER.temperature(),
                        p.topP() != null ? p.topP() : Sampling.PAPER.topP());
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidChatRequestException("chatRequest sampling is invalid: " + e.getMessage());
        }
    }

    private static void unsupported(String field, Object value) {
        if (value != null) {
            throw new InvalidChatRequestException("chatRequest." + field + " is not supported by shepherding (set it on "
                    + "the small or large model itself) but was " + value);
        }
    }

    private static PromptMessage toPromptMessage(ChatMessage m, int index) {
        if (m instanceof SystemMessage s) {
            return PromptMessage.system(s.text());
        }
        if (m instanceof UserMessage u) {
            return PromptMessage.user(text(u, index));
        }
        if (m instanceof AiMessage a && !a.hasToolExecutionRequests() && a.text() != null) {
            return PromptMessage.assistant(a.text());
        }
        throw new InvalidChatRequestException("chatRequest.messages[" + index + "] must be a system, user or text-only "
                + "AI message but was " + m.type() + (m instanceof AiMessage ? " with tool calls" : ""));
    }

    private static String text(UserMessage u, int index) {
        if (u.hasSingleText()) {
            return u.singleText();
        }
        StringBuilder sb = new StringBuilder();
        for (Content c : u.contents()) {
            if (!(c instanceof TextContent t)) {
                throw new InvalidChatRequestException("chatRequest.messages[" + index + "] must hold text only but "
                        + "contained " + c.type());
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(t.text());
        }
        return sb.toString();
    }

    private static List<String> types(List<ChatMessage> messages) {
        List<String> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            out.add(String.valueOf(m.type()));
        }
        return out;
    }
}
