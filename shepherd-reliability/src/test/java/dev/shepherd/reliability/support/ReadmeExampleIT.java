package dev.shepherd.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's snippet, kept compiling and true. */
class ReadmeExampleIT {

    @Test
    void should_inject_seeded_faults_and_count_only_delivered_usage() {
        // --- README snippet start
        int answered = 0;
        try (FakeOpenAiServer llm = FakeOpenAiServer.start(request -> "the answer is 42");
             FaultProxy proxy = FaultProxy.start(llm.baseUrl(), FaultProxy.Protocol.OPENAI,
                     Map.of(FaultProxy.Kind.SERVER_ERROR, 0.3, FaultProxy.Kind.MALFORMED_JSON, 0.2),
                     Duration.ofSeconds(60), Duration.ofSeconds(15), 42L, 4)) {
            // no SLOW fault here: the timeouts only bound a hang, far above a cold, CPU-starved first call
            ChatModel client = OpenAiChatModel.builder().baseUrl(proxy.openAiBaseUrl()).apiKey("test")
                    .modelName("llm").maxRetries(0).timeout(Duration.ofSeconds(30)).build();
            for (int i = 0; i < 20; i++) {
                try {
                    client.chat("q?");
                    answered++;
                } catch (RuntimeException injected) {
                    // HTTP 500 or a body that is not JSON, as drawn from the seed
                }
            }
            // the proxy books a response after writing it: wait for its handlers before reading the books
            proxy.awaitIdle(Duration.ofSeconds(5));
            // the proxy's books: what was injected, and the usage of the responses the client parsed
            long parsedOutputTokens = proxy.delivered().output();
            // --- README snippet end
            assertThat(proxy.count(FaultProxy.Kind.NONE)).isEqualTo(answered);
            assertThat(proxy.count(FaultProxy.Kind.SERVER_ERROR) + proxy.count(FaultProxy.Kind.MALFORMED_JSON))
                    .isEqualTo(20 - answered).isPositive();
            assertThat(parsedOutputTokens).isEqualTo(4L * answered).isEqualTo(llm.completionTokens());
            assertThat(proxy.late().calls()).isZero();
            assertThat(proxy.abandoned().calls()).isZero();
        }
    }
}
