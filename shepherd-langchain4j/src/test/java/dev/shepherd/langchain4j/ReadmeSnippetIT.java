package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Keeps the README's drop-in snippet compiling, and runs it over real HTTP against the fake servers. */
class ReadmeSnippetIT {

    /** The README snippet, verbatim between the markers. */
    static ChatModel dropIn(String ollamaUrl, String openAiUrl, String apiKey) {
        // README-SNIPPET-START
        ChatModel ollama = OllamaChatModel.builder()
                .baseUrl(ollamaUrl)                  // e.g. "http://localhost:11434"
                .modelName("llama3.2:3b")
                .timeout(Duration.ofSeconds(60))
                .maxRetries(1)
                .build();
        ChatModel openAi = OpenAiChatModel.builder()
                .baseUrl(openAiUrl)                  // e.g. "https://api.openai.com/v1"
                .apiKey(apiKey)
                .modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(30))
                .maxRetries(1)                       // a failure falls back to the small model: don't retry hard
                .build();

        HintPredictor predictor = HintPredictor.constant(0.9, 8); // or the trained predictor (shepherd-onnx)

        ChatModel model = ShepherdChatModel.builder()
                .small(ollama)
                .large(openAi)
                .policy(ReactiveShepherding.builder().predictor(predictor).build())
                .costModel(CostModel.localSmall(TokenPrices.perMillion(0.15, 0.60)))
                .spendCap(SpendCap.of(5.00, Duration.ofHours(1)))
                .build();
        // README-SNIPPET-END
        return model;
    }

    @Test
    void should_run_the_readme_snippet_over_real_http() {
        AtomicInteger sample = new AtomicInteger();
        try (FakeOllamaServer ollama = FakeOllamaServer.builder().knownModels("llama3.2:3b")
                .responder(req -> req.lastUserMessage().contains("Hint:") ? "#### 72" : "#### " + sample.incrementAndGet())
                .build();
             FakeOpenAiServer openAi = FakeOpenAiServer.builder().knownModels("gpt-4o-mini")
                     .responder(req -> "In April she sold 48 clips and in May half as many, 24, so 72 in total").build()) {
            // given
            ChatModel model = dropIn(ollama.baseUrl(), openAi.baseUrl(), "test-key");
            // when
            ChatResponse response = model.chat(UserMessage.from("Natalia sold clips to 48 of her friends in April, and "
                    + "then she sold half as many clips in May. How many clips did Natalia sell altogether?"));
            // then: the samples disagreed, an 8-token hint was bought, the small model finished
            assertThat(response.aiMessage().text()).isEqualTo("#### 72");
            assertThat(((ShepherdChatResponseMetadata) response.metadata()).decision()).isEqualTo(Decision.hint(8));
            assertThat(openAi.lastRequest().maxTokens()).isEqualTo(8);
            assertThat(ollama.lastRequest().lastUserMessage()).endsWith("\nHint: In April she sold 48 clips and in");
        }
    }
}
