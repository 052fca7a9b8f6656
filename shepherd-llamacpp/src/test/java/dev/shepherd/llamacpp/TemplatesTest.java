package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            SystemMessage.from("Be brief."), UserMessage.from("Hi"), AiMessage.from("Hello."), UserMessage.from("2+2?"));

    @Test
    void should_render_plain_text_ending_where_the_answer_starts() {
        assertThat(ChatTemplate.plainText().render(CONVERSATION))
                .isEqualTo("Be brief.\n\nUser: Hi\nAssistant: Hello.\nUser: 2+2?\nAssistant:");
    }

    @Test
    void should_leave_a_last_assistant_message_open_for_continuation() {
        // given
        List<ChatMessage> withHint = List.of(UserMessage.from("2+2?"), AiMessage.from("The answer is"));

        // then
        assertThat(ChatTemplate.plainText().render(withHint)).isEqualTo("User: 2+2?\nAssistant: The answer is");
        assertThat(ChatTemplate.chatMl().render(withHint))
                .isEqualTo("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\nThe answer is");
        assertThat(ChatTemplate.rawText().render(withHint)).isEqualTo("2+2?\nThe answer is");
    }

    @Test
    void should_render_chat_ml() {
        assertThat(ChatTemplate.chatMl().render(CONVERSATION)).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
                + "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void should_reject_images_and_tool_calls_naming_them() {
        assertThatThrownBy(() -> ChatTemplate.plainText().render(List.of(UserMessage.from(
                TextContent.from("look"), ImageContent.from("http://127.0.0.1/x.png")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only text user messages");
        assertThatThrownBy(() -> ChatTemplate.plainText().render(List.of(UserMessage.from("Hi"),
                AiMessage.from(ToolExecutionRequest.builder().name("clock").arguments("{}").build()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool calls");
    }
}
