package dev.shepherd.langchain4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A local server speaking Ollama's {@code POST /api/chat}, for the real {@code OllamaChatModel} /
 * {@code OllamaStreamingChatModel} with {@code baseUrl(server.baseUrl())}
 * ({@code http://127.0.0.1:PORT}).
 *
 * <p>It honours {@code options.num_predict} by truncating with {@link WordTokenizer} and answering
 * {@code done_reason: "length"}, cuts at {@code options.stop}, reports {@code prompt_eval_count} and
 * {@code eval_count}, streams newline-delimited JSON when {@code stream} is true, answers an unknown
 * model with 404 {@code model "x" not found, try pulling it first} like Ollama, and injects
 * {@link Fault}s. Like Ollama, it returns no log-probabilities. Thread-safe.
 */
public final class FakeOllamaServer extends FakeChatServer {

    private FakeOllamaServer(Settings settings) {
        super(settings, "/api/chat");
    }

    /** A server answering every model with {@code responder}. */
    public static FakeOllamaServer start(Responder responder) {
        return builder().responder(responder).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    FakeChatRequest parse(String path, String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        List<FakeChatRequest.Message> messages = new ArrayList<>();
        for (JsonNode m : root.path("messages")) {
            messages.add(new FakeChatRequest.Message(m.path("role").asText(), m.path("content").asText("")));
        }
        JsonNode options = root.path("options");
        List<String> stop = new ArrayList<>();
        options.path("stop").forEach(n -> stop.add(n.asText()));
        // Ollama streams unless told not to.
        boolean stream = !root.has("stream") || root.get("stream").asBoolean(true);
        return new FakeChatRequest(path, body, root.path("model").asText(), messages,
                options.hasNonNull("num_predict") ? Integer.valueOf(options.get("num_predict").asInt()) : null,
                options.hasNonNull("temperature") ? options.get("temperature").asDouble() : null,
                options.hasNonNull("top_p") ? options.get("top_p").asDouble() : null, stop, false, 0, stream);
    }

    @Override
    String errorBody(int status, String message) {
        String text = status == 404 ? message.replace("model '", "model \"").replace("' not found", "\" not found, try pulling it first")
                : message;
        return JSON.createObjectNode().put("error", text).toString();
    }

    @Override
    void answer(HttpExchange exchange, FakeChatRequest request, Answer answer) throws IOException {
        if (answer.cut()) {
            exchange.close(); // no mid-stream cut for NDJSON here: the connection drops before any response
            return;
        }
        if (!request.stream()) {
            ObjectNode root = line(request, answer.text(), true);
            done(root, answer);
            send(exchange, 200, "application/json", root.toString());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String token : answer.tokens()) {
                write(out, line(request, token, false));
            }
            ObjectNode last = line(request, "", true);
            done(last, answer);
            write(out, last);
        }
    }

    private static void write(OutputStream out, ObjectNode line) throws IOException {
        out.write((line.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static ObjectNode line(FakeChatRequest request, String content, boolean done) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", request.model());
        root.put("created_at", "2026-11-25T00:00:00.000000Z");
        root.putObject("message").put("role", "assistant").put("content", content);
        root.put("done", done);
        return root;
    }

    private static void done(ObjectNode root, Answer answer) {
        root.put("done_reason", answer.finishReason());
        root.put("total_duration", 1_000_000L);
        root.put("load_duration", 1_000L);
        root.put("prompt_eval_count", answer.promptTokens());
        root.put("prompt_eval_duration", 1_000L);
        root.put("eval_count", answer.tokens().size());
        root.put("eval_duration", 1_000L);
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

        /** Whether to keep every request (true by default; turn off for long benchmark runs). */
        public Builder recordRequests(boolean record) {
            settings.recordBodies = record;
            return this;
        }

        public FakeOllamaServer build() {
            if (settings.responder == null) {
                throw new IllegalStateException("responder is required: call responder(...)");
            }
            return new FakeOllamaServer(settings);
        }
    }
}
