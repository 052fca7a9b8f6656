package dev.shepherd.llamacpp;

import dev.langchain4j.data.message.ChatMessage;
import java.util.List;

/**
 * Turns chat messages into the prompt text the model completes. Implementations must be
 * thread-safe (the built-ins are stateless).
 *
 * <p>Contract: when the last message is an {@code AiMessage}, the rendered text must END with
 * that message's text, left open, so the model continues it (a prefilled assistant answer: the
 * continuation way of giving a hint). Otherwise it must end where the assistant's answer starts.
 * Messages other than system, user and assistant text are rejected with an
 * {@link IllegalArgumentException} naming the message type.
 *
 * <p>Built-ins: {@link #plainText()} (the default; for models without a chat template, such as
 * base models), {@link #chatMl()} (for ChatML-tuned models) and {@link #rawText()} (no role
 * markers, for plain text completion). For any other format, implement this interface; the
 * model's tokenizer sees the rendered text with special tokens parsed, so markers such as
 * {@code <|im_start|>} become the model's control tokens when its vocabulary has them.
 */
@FunctionalInterface
public interface ChatTemplate {

    /**
     * Renders the messages as prompt text.
     *
     * @param messages the conversation, non-empty, in order
     * @return the prompt text; never null
     */
    String render(List<ChatMessage> messages);

    /**
     * The default plain-text template:
     *
     * <pre>
     * {system text}
     *
     * User: {user text}
     * Assistant: {assistant text}
     * User: {user text}
     * Assistant:
     * </pre>
     *
     * Each system message becomes a paragraph on top (in order); the text ends with
     * {@code "Assistant:"} or, when the last message is an assistant message, with
     * {@code "Assistant: "} followed by its text.
     */
    static ChatTemplate plainText() {
        return Templates.PLAIN_TEXT;
    }

    /**
     * ChatML: {@code <|im_start|>role\ntext<|im_end|>\n} per message, then
     * {@code <|im_start|>assistant\n} (followed by the prefilled text when the last message is an
     * assistant message, left open without {@code <|im_end|>}).
     */
    static ChatTemplate chatMl() {
        return Templates.CHAT_ML;
    }

    /**
     * The message texts joined by a newline, without role markers: for text-completion models
     * (a story model continues the user's text). A last assistant message is appended the same
     * way and continued.
     */
    static ChatTemplate rawText() {
        return Templates.RAW_TEXT;
    }
}
