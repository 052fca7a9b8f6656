package dev.shepherd.langchain4j.testing;

import java.util.List;

/**
 * One chat request as a fake server parsed it, with the raw body as it came over the wire.
 * Immutable.
 *
 * @param path        the request path, e.g. {@code /v1/chat/completions}
 * @param rawBody     the exact request body
 * @param model       the requested model name
 * @param messages    the messages in order
 * @param maxTokens   {@code max_tokens} / {@code max_completion_tokens} (OpenAI) or {@code options.num_predict}
 *                    (Ollama), or {@code null}
 * @param temperature the requested temperature, or {@code null}
 * @param topP        the requested top-p, or {@code null}
 * @param stop        the stop sequences, possibly empty
 * @param logprobs    whether log-probabilities were asked for (OpenAI)
 * @param topLogprobs how many alternatives per token were asked for (OpenAI), 0 if none
 * @param stream      whether a streamed response was asked for
 */
public record FakeChatRequest(String path, String rawBody, String model, List<Message> messages, Integer maxTokens,
                              Double temperature, Double topP, List<String> stop, boolean logprobs, int topLogprobs,
                              boolean stream) {

    /** One message: {@code role} as on the wire ({@code system}, {@code user}, {@code assistant}). */
    public record Message(String role, String content) {
    }

    public FakeChatRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** The content of the last {@code user} message, or {@code ""} when there is none. */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** The last message (for continuation checks: an {@code assistant} message to continue). */
    public Message lastMessage() {
        return messages.get(messages.size() - 1);
    }
}
