package dev.shepherd.server.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The {@code chat.completion.chunk} events of one streamed answer, as server-sent event bytes. A stream
 * sends one event per token, so the token events are put together as text around a prefix computed once
 * per stream, rather than as a JSON tree serialized anew each time; they read exactly as Jackson writes the
 * same chunk as a tree. The first delta carries {@code "role": "assistant"}. Thread-safe: partials
 * may come from several threads, one at a time.
 */
final class StreamChunks {

    private static final String TAIL = "},\"logprobs\":null,\"finish_reason\":null}]}\n\n";

    private final ObjectMapper json;
    private final String id;
    private final String model;
    private final long created;
    /** {@code data: {"id":...,"choices":[{"index":0,"delta":{} */
    private final String head;
    private boolean first = true;

    StreamChunks(ObjectMapper json, String id, String model) {
        this.json = json;
        this.id = id;
        this.model = model;
        this.created = System.currentTimeMillis() / 1000;
        this.head = "data: {\"id\":" + quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                + ",\"model\":" + quote(model) + ",\"choices\":[{\"index\":0,\"delta\":{";
    }

    /** The event of a partial answer ({@code content}) or of a partial hint ({@code reasoning_content}). */
    synchronized byte[] delta(String field, String text) {
        StringBuilder sb = new StringBuilder(head.length() + TAIL.length() + field.length() + text.length() + 32);
        sb.append(head);
        if (first) {
            first = false;
            sb.append("\"role\":\"assistant\",");
        }
        sb.append('"').append(field).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(text, sb);
        sb.append('"').append(TAIL);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A chunk with an empty delta and this finish reason (the last one), to which the shepherd object is added. */
    ObjectNode last(String finishReason) {
        ObjectNode root = envelope("chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return root;
    }

    /** The envelope of a chunk ({@code id}, {@code object}, {@code created}, {@code model}), without choices. */
    ObjectNode envelope(String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", model);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"').toString();
    }

    /** A server-sent event of {@code data}. */
    static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
