package dev.shepherd.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Runs the example over real HTTP against local fake Ollama and OpenAI servers. */
class AskWithShepherdingIT {

    @Test
    void should_buy_a_hint_only_when_the_small_models_samples_disagree() {
        AtomicInteger calls = new AtomicInteger();
        try (FakeOllamaServer ollama = FakeOllamaServer.builder().knownModels("small")
                .responder(req -> req.lastUserMessage().contains("Hint:")
                        ? "17 * 23 = 391"
                        : req.lastUserMessage().contains("capital") ? "Paris" : "17 * 23 = " + (390 + calls.incrementAndGet()))
                .build();
             FakeOpenAiServer openAi = FakeOpenAiServer.builder().knownModels("large")
                     .responder(req -> "17 * 23 = 17 * 20 + 17 * 3 = 340 + 51 = 391. " + "To check, 23 * 17 = 23 * 10 + 23 * 7"
                             + " = 230 + 161 = 391, so both ways give the same product and the answer is 391.").build()) {
            CostLedger ledger = CostLedger.create();
            ShepherdChatModel model = AskWithShepherding.shepherded(ollama.baseUrl(), "small", openAi.baseUrl(),
                    "large", "test-key", ledger);

            // given samples that agree: no large-model call
            String agreed = AskWithShepherding.ask(model, "What is the capital of France?");
            assertThat(agreed).startsWith("SMALL_ONLY").endsWith(": Paris");
            assertThat(openAi.requestCount()).isZero();

            // given samples that disagree (391, 392, 393): a 32-token hint, then the small model finishes
            String hinted = AskWithShepherding.ask(model, "What is 17 * 23?");
            assertThat(hinted).startsWith("HINT(32)").endsWith(": 17 * 23 = 391");
            assertThat(openAi.lastRequest().maxTokens()).isEqualTo(32);
            assertThat(ollama.lastRequest().lastUserMessage()).contains("Question: What is 17 * 23?\nHint: 17 * 23 =");
            assertThat(ledger.entries()).hasSize(2);
            assertThat(ledger.totals().largeCalls()).isEqualTo(1);
        }
    }
}
