package dev.shepherd.langchain4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A local server speaking OpenAI's {@code POST /v1/chat/completions}, for the real
 * {@code OpenAiChatModel} / {@code OpenAiStreamingChatModel} with
 * {@code baseUrl(server.baseUrl())} ({@code http://127.0.0.1:PORT/v1}).
 *
 * <p>It honours {@code max_tokens} (or {@code max_completion_tokens}) by truncating with
 * {@link WordTokenizer} and answering {@code finish_reason: "length"}, cuts at {@code stop}
 * sequences, reports {@code usage}, returns {@code logprobs.content[]} with {@code top_logprobs}
 * when asked (the chosen token's probability is a deterministic function of the token, between
 * 0.5 and 0.95; alternatives share the rest), streams server-sent events when {@code stream} is
 * true (usage in a final chunk when {@code stream_options.include_usage}), answers an unknown model
 * with 404 {@code model_not_found}, refuses log-probabilities with 400 when built with
 * {@link Builder#refuseLogprobs(boolean)}, and injects {@link Fault}s, among them a model that fails mid-stream
 * ({@link Fault#cutStreamAfter(int)}). Thread-safe.
 *
 * <pre>{@code
 * try (FakeOpenAiServer server = FakeOpenAiServer.start(req -> "The answer is 42")) {
 *     ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test")
 *             .modelName("gpt-test").maxRetries(0).build();
 * }
 * }</pre>
 */
public final class FakeOpenAiServer extends FakeChatServer {

    private FakeOpenAiServer(Settings settings) {
        super(settings, "/v1/chat/completions");
    }

    /** How {@link #toolCall} marks an answer; not something a model would write. */
    private static final String TOOL_CALL = "@@fake-tool-call@@ ";

    /**
     * A responder's answer that makes the server answer with one tool call (as OpenAI does for a
     * request with {@code tools}): {@code message.tool_calls[0]} calls {@code name} with
     * {@code argumentsJson}, {@code content} is null and the finish reason {@code tool_calls}. Not
     * streamed. Usage counts the marker's words.
     */
    public static String toolCall(String name, String argumentsJson) {
        return TOOL_CALL + name + " " + argumentsJson;
    }

    /** A server answering every model with {@code responder}. */
    public static FakeOpenAiServer start(Responder responder) {
        return builder().responder(responder).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    @Override
    FakeChatRequest parse(String path, String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        List<FakeChatRequest.Message> messages = new ArrayList<>();
        for (JsonNode m : root.path("messages")) {
            messages.add(new FakeChatRequest.Message(m.path("role").asText(), content(m.path("content"))));
        }
        Integer max = root.hasNonNull("max_tokens") ? Integer.valueOf(root.get("max_tokens").asInt())
                : root.hasNonNull("max_completion_tokens") ? Integer.valueOf(root.get("max_completion_tokens").asInt()) : null;
        List<String> stop = new ArrayList<>();
        JsonNode s = root.path("stop");
        if (s.isTextual()) {
            stop.add(s.asText());
        } else {
            s.forEach(n -> stop.add(n.asText()));
        }
        return new FakeChatRequest(path, body, root.path("model").asText(), messages, max,
                root.hasNonNull("temperature") ? root.get("temperature").asDouble() : null,
                root.hasNonNull("top_p") ? root.get("top_p").asDouble() : null, stop,
                root.path("logprobs").asBoolean(false), root.path("top_logprobs").asInt(0),
                root.path("stream").asBoolean(false));
    }

    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.has("text")) {
                sb.append(part.get("text").asText());
            }
        }
        return sb.toString();
    }

    @Override
    String errorBody(int status, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("message", message);
        error.put("type", status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error");
        error.putNull("param");
        error.put("code", status == 404 ? "model_not_found" : String.valueOf(status));
        ObjectNode root = JSON.createObjectNode();
        root.set("error", error);
        return root.toString();
    }

    @Override
    void answer(HttpExchange exchange, FakeChatRequest request, Answer answer) throws IOException {
        if (request.stream()) {
            stream(exchange, request, answer);
            return;
        }
        ObjectNode root = envelope(request, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (answer.text().startsWith(TOOL_CALL)) {
            String call = answer.text().substring(TOOL_CALL.length());
            int space = call.indexOf(' ');
            message.putNull("content");
            ObjectNode tool = message.putArray("tool_calls").addObject();
            tool.put("id", "call_" + Integer.toHexString(call.hashCode()));
            tool.put("type", "function");
            tool.putObject("function").put("name", call.substring(0, space)).put("arguments", call.substring(space + 1));
            choice.put("finish_reason", "tool_calls");
            root.set("usage", usage(answer));
            send(exchange, 200, "application/json", root.toString());
            return;
        }
        message.put("content", answer.text());
        if (request.logprobs()) {
            ArrayNode content = choice.putObject("logprobs").putArray("content");
            for (String token : answer.tokens()) {
                content.add(logprob(token, request.topLogprobs()));
            }
        }
        choice.put("finish_reason", answer.finishReason());
        root.set("usage", usage(answer));
        if (answer.cut()) {
            byte[] body = root.toString().getBytes(StandardCharsets.UTF_8);
            cut(exchange, "application/json", body.length, new byte[][] {java.util.Arrays.copyOf(body, body.length / 2)});
            return;
        }
        send(exchange, 200, "application/json", root.toString());
    }

    private void stream(HttpExchange exchange, FakeChatRequest request, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        if (answer.cut()) {
            List<byte[]> events = new ArrayList<>();
            int length = 0;
            for (String token : answer.tokens().subList(0, Math.min(answer.cutAfter(), answer.tokens().size()))) {
                byte[] e = eventBytes(tokenChunk(request, token).toString());
                events.add(e);
                length += e.length;
            }
            // Announce more than is sent: the client reads the first tokens, then an EOF before the end.
            cut(exchange, "text/event-stream", length + 4096, events.toArray(new byte[0][]));
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String token : answer.tokens()) {
                event(out, tokenChunk(request, token).toString());
            }
            ObjectNode last = envelope(request, "chat.completion.chunk");
            ObjectNode choice = last.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("delta");
            choice.put("finish_reason", answer.finishReason());
            event(out, last.toString());
            if (JSON.readTree(request.rawBody()).path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode usage = envelope(request, "chat.completion.chunk");
                usage.putArray("choices");
                usage.set("usage", usage(answer));
                event(out, usage.toString());
            }
            event(out, "[DONE]");
        }
    }

    private static ObjectNode tokenChunk(FakeChatRequest request, String token) {
        ObjectNode chunk = envelope(request, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", token);
        if (request.logprobs()) {
            choice.putObject("logprobs").putArray("content").add(logprob(token, request.topLogprobs()));
        }
        choice.putNull("finish_reason");
        return chunk;
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(eventBytes(data));
        out.flush();
    }

    private static byte[] eventBytes(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends 200 with a {@code Content-Length} of {@code announced} and writes {@code parts} (fewer bytes). The
     * caller then closes the exchange, which finds the body short and drops the connection at once: the client
     * sees an EOF in the middle of the body. (Closing the body stream here instead would leave the connection
     * open until the server's response timer.)
     */
    private static void cut(HttpExchange exchange, String contentType, long announced, byte[][] parts) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, announced);
        OutputStream out = exchange.getResponseBody();
        for (byte[] part : parts) {
            out.write(part);
            out.flush();
        }
    }

    private static ObjectNode envelope(FakeChatRequest request, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", object);
        root.put("created", 1_700_000_000L);
        root.put("model", request.model());
        return root;
    }

    private static ObjectNode usage(Answer answer) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", answer.promptTokens());
        usage.put("completion_tokens", answer.tokens().size());
        usage.put("total_tokens", answer.promptTokens() + answer.tokens().size());
        return usage;
    }

    /** The chosen token with a probability in [0.5, 0.95] that depends only on the token, and k−1 alternatives. */
    static ObjectNode logprob(String token, int top) {
        double p = 0.5 + 0.45 * ((token.strip().hashCode() & 0xff) / 255.0);
        ObjectNode node = JSON.createObjectNode();
        node.put("token", token);
        node.put("logprob", Math.log(p));
        node.putArray("bytes");
        ArrayNode tops = node.putArray("top_logprobs");
        if (top > 0) {
            tops.addObject().put("token", token).put("logprob", Math.log(p)).putArray("bytes");
            for (int i = 1; i < top; i++) {
                tops.addObject().put("token", " alt" + i).put("logprob", Math.log((1 - p) / (top - 1))).putArray("bytes");
            }
        }
        return node;
    }

    /** Fail-fast builder. Not thread-safe. */
    public static final class Builder {
        private final Settings settings = new Settings();

        private Builder() {
        }

        /** The scripted answers. Required. */
        public Builder responder(Responder responder) {
            settings.responder = responder;
            return this;
        }

        /** Model names the server knows; any other gets 404. Any name is accepted by default. */
        public Builder knownModels(String... models) {
            settings.knownModels = Set.of(models);
            return this;
        }

        /** Handler threads; 16 by default. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
            }
            settings.threads = threads;
            return this;
        }

        /**
         * Answer every request that asks for log-probabilities with HTTP 400 "logprobs is not supported by this
         * server", as some OpenAI-compatible servers do; off by default.
         */
        public Builder refuseLogprobs(boolean refuse) {
            settings.refuseLogprobs = refuse;
            return this;
        }

        /** Whether to keep every request (true by default; turn off for long benchmark runs). */
        public Builder recordRequests(boolean record) {
            settings.recordBodies = record;
            return this;
        }

        public FakeOpenAiServer build() {
            if (settings.responder == null) {
                throw new IllegalStateException("responder is required: call responder(...)");
            }
            return new FakeOpenAiServer(settings);
        }
    }
}
