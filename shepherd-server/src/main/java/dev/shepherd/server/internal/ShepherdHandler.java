package dev.shepherd.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.shepherd.core.InvalidQueryException;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.run.RequestIds;
import dev.shepherd.langchain4j.InvalidChatRequestException;
import dev.shepherd.langchain4j.ShepherdChatResponseMetadata;
import dev.shepherd.server.ApiKeys;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and answers every request of a {@link dev.shepherd.server.ShepherdServer}: {@code POST
 * /v1/chat/completions} (complete or streamed), {@code GET /v1/models}, {@code GET /health} (open) and
 * {@code GET /metrics} (Prometheus text). Everything but {@code /health} needs a bearer key when keys are
 * configured. A chat completion first takes one of the concurrency permits (none free: 429 at once), then
 * reads at most the size limit (more: 413), then parses and checks the body (bad: 400 naming the field),
 * then runs the shepherd model on this thread. Thread-safe; Jetty calls it on its pool threads.
 */
public final class ShepherdHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(ShepherdHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = StreamChunks.event("[DONE]");

    /** What the handler serves and how it limits it. */
    public record Settings(ChatModel chat, StreamingChatModel streaming, String modelId, String largeName,
                           ApiKeys keys, long maxRequestBytes, int maxConcurrent, PrometheusMeterRegistry registry,
                           CostLedger ledger) {
    }

    private final Settings settings;
    private final Semaphore permits;
    private final ServerMetrics metrics;

    public ShepherdHandler(Settings settings) {
        this.settings = settings;
        this.permits = new Semaphore(settings.maxConcurrent());
        this.metrics = new ServerMetrics(settings.registry(), permits, settings.maxConcurrent(), settings.ledger());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String endpoint = switch (path) {
            case "/v1/chat/completions" -> "chat.completions";
            case "/v1/models" -> "models";
            case "/health" -> "health";
            case "/metrics" -> "metrics";
            default -> "unknown";
        };
        int status;
        boolean[] stream = {false};
        try {
            status = route(endpoint, request, response, callback, stream);
        } catch (ApiError e) {
            status = error(response, callback, e);
        } catch (RuntimeException e) {
            log.error("unexpected failure on {} {}", request.getMethod(), path, e);
            status = error(response, callback, new ApiError(500, "server_error", "internal_error", null,
                    "internal server error: " + e.getClass().getSimpleName()));
        }
        metrics.request(endpoint, status, stream[0], start);
        return true;
    }

    private int route(String endpoint, Request request, Response response, Callback callback, boolean[] stream) {
        String method = request.getMethod();
        if (endpoint.equals("unknown")) {
            throw new ApiError(404, "invalid_request_error", "unknown_url", null, "Unknown request URL: " + method + " "
                    + Request.getPathInContext(request) + ". This server serves POST /v1/chat/completions, GET "
                    + "/v1/models, GET /health and GET /metrics.");
        }
        String expected = endpoint.equals("chat.completions") ? "POST" : "GET";
        if (!expected.equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, expected);
            throw new ApiError(405, "invalid_request_error", "method_not_allowed", null, "Method " + method
                    + " is not allowed on " + Request.getPathInContext(request) + "; use " + expected + ".");
        }
        if (endpoint.equals("health")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(HEALTHY), callback);
            return 200;
        }
        authorize(request, response);
        switch (endpoint) {
            case "metrics":
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                Content.Sink.write(response, true, settings.registry().scrape(), callback);
                return 200;
            case "models":
                return json(response, callback, 200, models());
            default:
                return completions(request, response, callback, stream);
        }
    }

    private void authorize(Request request, Response response) {
        if (!settings.keys().required()) {
            return;
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            metrics.rejected("auth");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            throw new ApiError(401, "invalid_request_error", "missing_api_key", null, "You didn't provide an API key. "
                    + "Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'.");
        }
        if (!settings.keys().matches(auth.substring(7).strip())) {
            metrics.rejected("auth");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            throw new ApiError(401, "invalid_request_error", "invalid_api_key", null, "Incorrect API key provided. "
                    + "Use one of the keys this server was started with (--api-keys FILE or SHEPHERD_API_KEYS).");
        }
    }

    private ObjectNode models() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        data.addObject().put("id", settings.modelId()).put("object", "model").put("created", 0)
                .put("owned_by", "shepherd");
        return root;
    }

    private int completions(Request request, Response response, Callback callback, boolean[] stream) {
        if (!permits.tryAcquire()) {
            metrics.rejected("concurrency");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            throw new ApiError(429, "rate_limit_exceeded", "concurrency_limit_exceeded", null, "Too many concurrent "
                    + "requests: this server answers at most " + settings.maxConcurrent() + " at once "
                    + "(--max-concurrent). Retry after a moment.");
        }
        try {
            CompletionRequest body = CompletionRequest.parse(readJson(request));
            if (!settings.modelId().equals(body.model())) {
                throw new ApiError(404, "invalid_request_error", "model_not_found", "model", "The model '"
                        + body.model() + "' does not exist on this server; it serves '" + settings.modelId()
                        + "' (GET /v1/models).");
            }
            stream[0] = body.stream();
            return body.stream() ? stream(body, response, callback) : complete(body, response, callback);
        } finally {
            permits.release();
        }
    }

    private JsonNode readJson(Request request) {
        long max = settings.maxRequestBytes();
        long declared = request.getLength();
        if (declared > max) {
            throw tooLarge(declared);
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            // A declared length (the usual case) is read into an array of that size, not in 8 KiB pieces
            bytes = declared >= 0 && declared <= Integer.MAX_VALUE - 8 ? readDeclared(in, (int) declared)
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw new ApiError(400, "invalid_request_error", "unreadable_body", null, "The request body could not be "
                    + "read: " + e.getMessage());
        }
        if (bytes.length > max) {
            throw tooLarge(-1);
        }
        if (bytes.length == 0) {
            throw ApiError.invalid(null, "The request body is empty; send a JSON object with 'model' and 'messages'.");
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw ApiError.invalid(null, "The request body is not valid JSON: " + e.getMessage());
        }
    }

    /** The body of a request that declared its length; Jetty stops at that length. */
    private static byte[] readDeclared(InputStream in, int declared) throws IOException {
        byte[] bytes = new byte[declared];
        int n = in.readNBytes(bytes, 0, declared);
        return n == declared ? bytes : Arrays.copyOf(bytes, n);
    }

    private ApiError tooLarge(long declared) {
        metrics.rejected("size");
        return new ApiError(413, "invalid_request_error", "request_too_large", null, "The request body "
                + (declared >= 0 ? "(" + declared + " bytes) " : "") + "exceeds this server's limit of "
                + settings.maxRequestBytes() + " bytes (--max-request-bytes).");
    }

    private int complete(CompletionRequest body, Response response, Callback callback) {
        ChatResponse r;
        try {
            r = settings.chat().chat(body.chatRequest());
        } catch (RuntimeException e) {
            throw modelError(e);
        }
        ShepherdChatResponseMetadata md = ShepherdFields.metadata(r);
        ObjectNode root = envelope("chatcmpl-" + RequestIds.next(), "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", r.aiMessage().text());
        choice.putNull("logprobs");
        choice.put("finish_reason", ShepherdFields.finishReason(r.finishReason()));
        root.set("usage", ShepherdFields.usage(JSON, r.tokenUsage()));
        if (md != null) {
            String tier = ShepherdFields.tier(md, settings.largeName());
            for (Map.Entry<String, String> h : ShepherdFields.headers(md, settings.largeName()).entrySet()) {
                response.getHeaders().put(h.getKey(), h.getValue());
            }
            root.set("shepherd", ShepherdFields.body(JSON, md, settings.largeName()));
            metrics.answered(md, tier);
        }
        return json(response, callback, 200, root);
    }

    private int stream(CompletionRequest body, Response response, Callback callback) {
        if (settings.streaming() == null) {
            throw new ApiError(400, "invalid_request_error", "streaming_unavailable", "stream", "This server was "
                    + "started without a streaming model; send \"stream\": false.");
        }
        StreamChunks chunks = new StreamChunks(JSON, "chatcmpl-" + RequestIds.next(), settings.modelId());
        SseWriter sse = new SseWriter(response);
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                sse.event(chunks.delta("content", partial));
            }

            @Override
            public void onPartialThinking(PartialThinking thinking) {
                sse.event(chunks.delta("reasoning_content", thinking.text()));
            }

            @Override
            public void onCompleteResponse(ChatResponse r) {
                done.complete(r);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        };
        ChatResponse r;
        try {
            settings.streaming().chat(body.chatRequest(), handler);
            r = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return streamError(sse, response, callback, new ApiError(503, "server_error", "interrupted", null,
                    "the server is shutting down"));
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return streamError(sse, response, callback, modelError(cause));
        }
        ShepherdChatResponseMetadata md = ShepherdFields.metadata(r);
        ObjectNode last = chunks.last(ShepherdFields.finishReason(r.finishReason()));
        if (md != null) {
            last.set("shepherd", ShepherdFields.body(JSON, md, settings.largeName()));
            metrics.answered(md, ShepherdFields.tier(md, settings.largeName()));
        }
        // The last chunk, the usage and [DONE] are ready together: one write with the end of the stream.
        if (body.includeUsage()) {
            ObjectNode usage = chunks.envelope("chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", ShepherdFields.usage(JSON, r.tokenUsage()));
            sse.end(callback, StreamChunks.event(last.toString()), StreamChunks.event(usage.toString()), DONE);
        } else {
            sse.end(callback, StreamChunks.event(last.toString()), DONE);
        }
        return 200;
    }

    /** Before the first event: a normal error response. After it: an error event, then the end of the stream. */
    private int streamError(SseWriter sse, Response response, Callback callback, ApiError e) {
        if (!sse.started()) {
            return error(response, callback, e);
        }
        sse.end(callback, StreamChunks.event(e.body(JSON).toString()));
        return e.status();
    }

    private ObjectNode envelope(String id, String object) {
        return JSON.createObjectNode().put("id", id).put("object", object)
                .put("created", System.currentTimeMillis() / 1000).put("model", settings.modelId());
    }

    /** What a failure of the model call means for the client. */
    private static ApiError modelError(Throwable e) {
        if (e instanceof InvalidChatRequestException || e instanceof InvalidQueryException
                || e instanceof IllegalArgumentException) {
            return ApiError.invalid(null, openAiNames(e.getMessage()));
        }
        if (e instanceof SpendLimitExceededException) {
            return new ApiError(429, "insufficient_quota", "spend_cap_reached", null, e.getMessage());
        }
        if (e instanceof ModelCallException) {
            return new ApiError(502, "server_error", "model_failed", null, e.getMessage());
        }
        log.error("unexpected failure answering a chat completion", e);
        return new ApiError(500, "server_error", "internal_error", null, "internal server error: "
                + e.getClass().getSimpleName());
    }

    /** LangChain4j's request field names as the client sent them. */
    private static String openAiNames(String message) {
        return String.valueOf(message).replace("chatRequest.maxOutputTokens", "max_tokens")
                .replace("chatRequest.stopSequences", "stop").replace("chatRequest.topP", "top_p")
                .replace("chatRequest.", "");
    }

    private static int json(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body); // UTF-8 straight away: no String in between
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialize", e);
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return status;
    }

    private static int error(Response response, Callback callback, ApiError e) {
        if (e.status() >= 500) {
            log.warn("{}: {}", e.status(), e.getMessage());
        }
        return json(response, callback, e.status(), e.body(JSON));
    }
}
