package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad requests and bad files against the real engine: clear exceptions, the model stays usable. */
class LlamaCppChatModelBadInputIT {

    private static LlamaCppChatModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        model = TestModels.greedy(ChatTemplate.plainText());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void should_wrap_the_engine_rejection_of_a_file_with_gguf_magic_but_garbage_inside() throws IOException {
        // given: passes the magic check, so llama.cpp itself parses it
        TestModels.stories260K();
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        System.arraycopy("GGUF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        Path fake = Files.write(tmp.resolve("fake.gguf"), bytes);

        // when / then
        assertThatThrownBy(() -> LlamaCppChatModel.builder().modelPath(fake).threads(2).build())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(fake.toString())
                .hasMessageContaining("llama.cpp rejected it");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -100})
    void should_reject_a_cap_below_one(int cap) {
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).maxOutputTokens(cap).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutputTokens must be at least 1 but was " + cap);
    }

    @Test
    void should_reject_null_and_empty_messages() {
        assertThatThrownBy(() -> model.doChat(null)).isInstanceOf(NullPointerException.class).hasMessage("chatRequest");
        assertThatThrownBy(() -> model.chat(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messages");
        assertThatThrownBy(() -> model.chat(UserMessage.from("a"), null)).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("messages");
    }

    @Test
    void should_reject_out_of_range_sampling_settings() {
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).temperature(-1.0).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).topP(2.0).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("topP must be in (0, 1] but was 2.0");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).topK(0).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("topK must be at least 1 but was 0");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .stopSequences(List.of("")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopSequences");
    }

    @Test
    void should_reject_tools_json_and_tool_results() {
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .toolSpecifications(ToolSpecification.builder().name("clock").build()).build()))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("tools");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .responseFormat(ResponseFormat.JSON).build()))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("JSON");
        assertThatThrownBy(() -> model.chat(UserMessage.from("Hi"), ToolExecutionResultMessage.from("id", "clock", "12:00")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOOL_EXECUTION_RESULT");
    }

    @Test
    void should_stay_usable_after_bad_requests() {
        // given
        try {
            model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).maxOutputTokens(-1).build());
        } catch (IllegalArgumentException expected) {
            // the point is what happens next
        }

        // when
        var response = model.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).maxOutputTokens(3).build());

        // then
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
    }

    @Test
    void should_fail_clearly_after_close_and_close_idempotently() {
        // given
        LlamaCppChatModel closing = TestModels.greedy(ChatTemplate.plainText());

        // when
        closing.close();
        closing.close();

        // then
        assertThatThrownBy(() -> closing.chat("Hi")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> closing.countTokens("Hi")).isInstanceOf(IllegalStateException.class);
    }
}
