package dev.shepherd.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamChunksTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_write_token_events_as_jackson_writes_the_chunk_tree() {
        // given
        StreamChunks chunks = new StreamChunks(JSON, "chatcmpl-1", "shep\"herd");
        String[] texts = {"Hel", "lo \"quoted\" \\ back\nslash\t\u0001", "é 😀 \u2028", ""};
        for (int i = 0; i < texts.length; i++) {
            String field = i == 2 ? "reasoning_content" : "content";
            // when
            String event = new String(chunks.delta(field, texts[i]), StandardCharsets.UTF_8);
            // then
            assertThat(event).isEqualTo("data: " + tree(chunks, field, texts[i], i == 0) + "\n\n");
        }
    }

    @Test
    void should_end_with_an_empty_delta_and_the_finish_reason() throws Exception {
        // given
        StreamChunks chunks = new StreamChunks(JSON, "chatcmpl-2", "shepherd");
        // when
        ObjectNode last = chunks.last("length");
        // then
        assertThat(last.toString()).isEqualTo("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":"
                + last.get("created").asLong() + ",\"model\":\"shepherd\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"logprobs\":null,\"finish_reason\":\"length\"}]}");
        assertThat(new String(StreamChunks.event("[DONE]"), StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
    }

    /** The chunk as the server built it before, a Jackson tree. */
    private static String tree(StreamChunks chunks, String field, String text, boolean withRole) {
        ObjectNode root = chunks.envelope("chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (withRole) {
            delta.put("role", "assistant");
        }
        delta.put(field, text);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root.toString();
    }
}
