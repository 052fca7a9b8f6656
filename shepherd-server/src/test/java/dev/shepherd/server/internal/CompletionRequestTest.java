package dev.shepherd.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompletionRequestTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static CompletionRequest parse(String json) throws Exception {
        return CompletionRequest.parse(JSON.readTree(json));
    }

    @Test
    void should_map_messages_and_answer_options() throws Exception {
        // when
        CompletionRequest r = parse("{\"model\":\"shepherd\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"developer\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"c\"},{\"role\":\"user\",\"content\":\"d\"}],"
                + "\"max_completion_tokens\":64,\"temperature\":0.2,\"top_p\":0.9,\"stop\":\"END\",\"user\":\"u1\","
                + "\"seed\":7,\"n\":1,\"frequency_penalty\":0}");
        // then
        assertThat(r.model()).isEqualTo("shepherd");
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        assertThat(r.chatRequest().messages()).containsExactly(SystemMessage.from("Be brief."), UserMessage.from("a\nb"),
                AiMessage.from("c"), UserMessage.from("d"));
        assertThat(r.chatRequest().maxOutputTokens()).isEqualTo(64);
        assertThat(r.chatRequest().temperature()).isEqualTo(0.2);
        assertThat(r.chatRequest().topP()).isEqualTo(0.9);
        assertThat(r.chatRequest().stopSequences()).containsExactly("END");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|model|'model' is required",
        "{\"model\":\"s\"}|messages|'messages' is required",
        "{\"model\":\"s\",\"messages\":[]}|messages|non-empty array but was []",
        "{\"model\":\"s\",\"messages\":[{\"content\":\"x\"}]}|messages[0].role|is required",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content|is required",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}|messages[0].content[0]|of type 'image_url'",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_p\":1.5}|top_p|in [0, 1] but was 1.5",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":2.5}|max_tokens|integer >= 1 but was 2.5",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}|stream|true or false but was \"yes\"",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}|n|must be 1",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"presence_penalty\":0.5}|presence_penalty|but was 0.5",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"logprobs\":true}|logprobs|not supported",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_format\":{\"type\":\"json_object\"}}|response_format|must be",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[1]}|stop|must hold strings",
        "{\"model\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":{}}|stream_options|only allowed"
    })
    void should_name_the_field_and_value_of_a_bad_request(String json, String param, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.body(JSON).at("/error/param").asText()).isEqualTo(param);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
