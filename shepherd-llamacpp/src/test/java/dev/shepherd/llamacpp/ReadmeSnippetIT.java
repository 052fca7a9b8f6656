package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The usage snippet of README.md, kept compiling and running. */
class ReadmeSnippetIT {

    @Test
    void should_run_the_readme_snippet() {
        Path gguf = TestModels.stories260K();
        // --- README snippet start
        try (LlamaCppChatModel slm = LlamaCppChatModel.builder()
                .modelPath(gguf)                      // a local GGUF file; never downloaded
                .threads(2)
                .contextSize(512)
                .temperature(0)                       // greedy: the same answer every time
                .build()) {

            // an ordinary LangChain4j call, capped at exactly 16 output tokens
            ChatResponse answer = slm.chat(ChatRequest.builder()
                    .messages(UserMessage.from("Tell me a story."))
                    .maxOutputTokens(16)
                    .build());

            // a continuation-style hint: the model goes on from the prefilled assistant text
            ChatResponse continued = slm.chat(ChatRequest.builder()
                    .messages(UserMessage.from("Tell me a story."),
                              AiMessage.from("Once upon a time, there was a little dog named"))
                    .maxOutputTokens(16)
                    .stopSequences(java.util.List.of("."))
                    .build());

            System.out.println(answer.aiMessage().text() + " " + answer.tokenUsage());
            System.out.println(continued.aiMessage().text() + " " + continued.finishReason());
        // --- README snippet end
            assertThat(answer.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(continued.aiMessage().text()).isNotBlank().doesNotContain(".");
        }
    }
}
