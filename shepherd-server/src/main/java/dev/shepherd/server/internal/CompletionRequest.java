package dev.shepherd.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * A {@code POST /v1/chat/completions} body, checked field by field and turned into a LangChain4j
 * {@link ChatRequest}. Every rejection names the field ({@code messages[2].role}) and the value.
 * Fields that do not change the answer ({@code user}, {@code seed}, {@code metadata}, ...) are accepted
 * and ignored. Immutable.
 *
 * @param chatRequest  the messages and the answer options (max tokens, temperature, top-p, stop)
 * @param model        the requested model id
 * @param stream       whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code stream_options.include_usage})
 */
public record CompletionRequest(ChatRequest chatRequest, String model, boolean stream, boolean includeUsage) {

    /** Fields that would change the answer in ways shepherding does not do. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "tools", "tool calls are not supported by shepherding",
            "functions", "function calls are not supported by shepherding",
            "tool_choice", "tool calls are not supported by shepherding",
            "function_call", "function calls are not supported by shepherding",
            "logprobs", "log-probabilities are not returned by this server",
            "top_logprobs", "log-probabilities are not returned by this server",
            "audio", "audio output is not supported",
            "prediction", "predicted outputs are not supported");
    /**
     * Parses and checks a body.
     *
     * @throws ApiError 400 naming the field and value
     */
    public static CompletionRequest parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw ApiError.invalid(null, "the request body must be a JSON object but was "
                    + (root == null ? "empty" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            String why = UNSUPPORTED.get(field);
            if (why != null && !root.get(field).isNull() && !(root.get(field).isBoolean() && !root.get(field).asBoolean())) {
                throw ApiError.unsupported(field, "'" + field + "' is not supported: " + why);
            }
        }
        String model = text(root, "model", true);
        List<ChatMessage> messages = messages(root.get("messages"));
        ChatRequest.Builder b = ChatRequest.builder().messages(messages);
        Integer max = positiveInt(root, "max_completion_tokens");
        if (max == null) {
            max = positiveInt(root, "max_tokens");
        }
        b.maxOutputTokens(max);
        b.temperature(number(root, "temperature", 0, 2));
        b.topP(number(root, "top_p", 0, 1));
        List<String> stop = stop(root.get("stop"));
        if (!stop.isEmpty()) {
            b.stopSequences(stop);
        }
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw ApiError.unsupported("n", "'n' must be 1 (one choice per request) but was " + n);
        }
        for (String penalty : new String[] {"frequency_penalty", "presence_penalty"}) {
            JsonNode p = root.get(penalty);
            if (p != null && !p.isNull() && !(p.isNumber() && p.asDouble() == 0)) {
                throw ApiError.unsupported(penalty, "'" + penalty + "' is not supported by shepherding (set it on the "
                        + "models themselves) but was " + p);
            }
        }
        JsonNode format = root.get("response_format");
        if (format != null && !format.isNull() && !"text".equals(format.path("type").asText())) {
            throw ApiError.unsupported("response_format", "'response_format' must be {\"type\": \"text\"} but was "
                    + format);
        }
        boolean stream = bool(root, "stream");
        JsonNode options = root.get("stream_options");
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        if (options != null && !options.isNull() && !stream) {
            throw ApiError.invalid("stream_options", "'stream_options' is only allowed with \"stream\": true");
        }
        return new CompletionRequest(b.build(), model, stream, includeUsage);
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiError.invalid("messages", "'messages' is required: an array of {\"role\", \"content\"} objects");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiError.invalid("messages", "'messages' must be a non-empty array but was " + abbreviate(node));
        }
        List<ChatMessage> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(message(node.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String at) {
        if (!m.isObject()) {
            throw ApiError.invalid(at, "'" + at + "' must be an object but was " + abbreviate(m));
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw ApiError.invalid(at + ".role", "'" + at + ".role' is required: system, developer, user or assistant");
        }
        String role = roleNode.asText();
        if (m.has("tool_calls") && !m.get("tool_calls").isNull()) {
            throw ApiError.unsupported(at + ".tool_calls", "'" + at + ".tool_calls' is not supported by shepherding");
        }
        String content = content(m.get("content"), at + ".content");
        switch (role) {
            case "system":
            case "developer":
                return SystemMessage.from(content);
            case "user":
                return UserMessage.from(content);
            case "assistant":
                return AiMessage.from(content);
            default:
                throw ApiError.invalid(at + ".role", "'" + at + ".role' must be system, developer, user or assistant "
                        + "but was '" + role + "'" + (role.equals("tool") || role.equals("function")
                        ? " (tool calls are not supported by shepherding)" : ""));
        }
    }

    private static String content(JsonNode c, String at) {
        if (c == null || c.isNull()) {
            throw ApiError.invalid(at, "'" + at + "' is required: a string or an array of text parts");
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.isArray()) {
            throw ApiError.invalid(at, "'" + at + "' must be a string or an array of text parts but was " + abbreviate(c));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            JsonNode part = c.get(i);
            String type = part.path("type").asText();
            if (!type.equals("text") || !part.path("text").isTextual()) {
                throw ApiError.unsupported(at + "[" + i + "]", "'" + at + "[" + i + "]' must be a text part "
                        + "({\"type\": \"text\", \"text\": ...}) but was of type '" + type + "'");
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(part.get("text").asText());
        }
        return sb.toString();
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.invalid(field, "'" + field + "' is required (GET /v1/models lists the ids)");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiError.invalid(field, "'" + field + "' must be a non-blank string but was " + abbreviate(v));
        }
        return v.asText();
    }

    private static Integer positiveInt(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw ApiError.invalid(field, "'" + field + "' must be an integer >= 1 but was " + abbreviate(v));
        }
        return v.asInt();
    }

    private static Double number(JsonNode root, String field, double min, double max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw ApiError.invalid(field, "'" + field + "' must be a number in [" + fmt(min) + ", " + fmt(max)
                    + "] but was " + abbreviate(v));
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiError.invalid(field, "'" + field + "' must be true or false but was " + abbreviate(v));
        }
        return v.asBoolean();
    }

    private static List<String> stop(JsonNode v) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (v.isArray() && v.size() <= 4) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw ApiError.invalid("stop", "'stop' must hold strings but held " + abbreviate(s));
                }
                out.add(s.asText());
            }
            return out;
        }
        throw ApiError.invalid("stop", "'stop' must be a string or an array of up to 4 strings but was " + abbreviate(v));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** The value as JSON, cut to 80 characters: error messages name it without echoing a whole body. */
    static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
