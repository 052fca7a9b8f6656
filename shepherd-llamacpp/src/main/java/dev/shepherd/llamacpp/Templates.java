package dev.shepherd.llamacpp;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import java.util.Objects;

/** The built-in {@link ChatTemplate}s. Stateless, thread-safe. */
final class Templates {

    /** See {@link ChatTemplate#plainText()}. */
    static final ChatTemplate PLAIN_TEXT = Templates::plainText;
    /** See {@link ChatTemplate#chatMl()}. */
    static final ChatTemplate CHAT_ML = Templates::chatMl;
    /** See {@link ChatTemplate#rawText()}. */
    static final ChatTemplate RAW_TEXT = Templates::rawText;

    private Templates() {}

    /** Whether the conversation ends with an assistant message the model must continue. */
    static boolean endsWithAssistant(List<ChatMessage> messages) {
        return !messages.isEmpty() && messages.get(messages.size() - 1) instanceof AiMessage;
    }

    /**
     * The text of a system, user or assistant message.
     *
     * @throws IllegalArgumentException for other message types, multi-modal user messages and
     *     assistant tool calls, naming the message type
     */
    static String text(ChatMessage message) {
        Objects.requireNonNull(message, "message");
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof UserMessage user) {
            if (!user.hasSingleText()) {
                throw new IllegalArgumentException(
                        "only text user messages are supported, but a message had contents " + user.contents());
            }
            return user.singleText();
        }
        if (message instanceof AiMessage ai) {
            if (ai.hasToolExecutionRequests()) {
                throw new IllegalArgumentException("tool calls are not supported, but an AiMessage requested "
                        + ai.toolExecutionRequests());
            }
            return ai.text() == null ? "" : ai.text();
        }
        throw new IllegalArgumentException("unsupported message type " + message.type()
                + " (only SYSTEM, USER and AI text messages can be rendered)");
    }

    private static String plainText(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            if (message instanceof SystemMessage) {
                prompt.append(text(message)).append("\n\n");
            }
        }
        int last = messages.size() - 1;
        for (int i = 0; i <= last; i++) {
            ChatMessage message = messages.get(i);
            if (message instanceof SystemMessage) {
                continue;
            }
            String text = text(message);
            if (message instanceof UserMessage) {
                prompt.append("User: ").append(text).append('\n');
            } else if (i < last) {
                prompt.append("Assistant: ").append(text).append('\n');
            } else {
                prompt.append("Assistant: ").append(text);
            }
        }
        if (!endsWithAssistant(messages)) {
            // no trailing space: SentencePiece tokenizers would turn it into a rare lone-space token
            prompt.append("Assistant:");
        }
        return prompt.toString();
    }

    private static String chatMl(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        int last = messages.size() - 1;
        for (int i = 0; i <= last; i++) {
            ChatMessage message = messages.get(i);
            String text = text(message);
            String role = message instanceof SystemMessage ? "system" : message instanceof UserMessage ? "user" : "assistant";
            prompt.append("<|im_start|>").append(role).append('\n').append(text);
            if (i < last || !(message instanceof AiMessage)) {
                prompt.append("<|im_end|>\n");
            }
        }
        if (!endsWithAssistant(messages)) {
            prompt.append("<|im_start|>assistant\n");
        }
        return prompt.toString();
    }

    private static String rawText(List<ChatMessage> messages) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            if (prompt.length() > 0) {
                prompt.append('\n');
            }
            prompt.append(text(message));
        }
        return prompt.toString();
    }
}
