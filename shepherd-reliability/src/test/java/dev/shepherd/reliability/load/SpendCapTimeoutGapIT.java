package dev.shepherd.reliability.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.reliability.support.FaultProxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A large-model call that times out on the client has usually been processed, and is billed, by the provider.
 * The spend cap must count it: shepherd-core keeps a failed call's worst-case reservation unless the backend
 * refused the request unprocessed ({@code ModelCallException.rejected()}). Before that fix this test showed
 * $0.0088 billed against a $0.005 cap.
 */
class SpendCapTimeoutGapIT {

    @Test
    void should_keep_provider_billed_spend_under_the_cap_when_large_calls_time_out() throws Exception {
        try (FakeOllamaServer slm = FakeOllamaServer.start(r -> "small answer");
             FakeOpenAiServer llm = FakeOpenAiServer.start(r -> SoakRun.LARGE_ANSWER);
             FaultProxy slowLarge = FaultProxy.start(llm.baseUrl(), FaultProxy.Protocol.OPENAI,
                     Map.of(FaultProxy.Kind.SLOW, 1.0), Duration.ofMillis(400), Duration.ofMillis(100), 1, 8)) {
            // given: every large call answers after the client gave up; a cap of $0.005
            double cap = 0.005;
            ChatModel small = OllamaChatModel.builder().baseUrl(slm.baseUrl()).modelName("slm").maxRetries(0)
                    .timeout(Duration.ofSeconds(5)).build();
            ChatModel large = OpenAiChatModel.builder().baseUrl(slowLarge.openAiBaseUrl()).apiKey("k").modelName("llm")
                    .maxRetries(0).timeout(Duration.ofMillis(200)).build();
            ChatModel model = ShepherdChatModel.builder().small(small).large(large)
                    .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1.0, 100))
                            .rule(new HintDecisionRule(0.5, 20, 200)).build())
                    .costModel(CostModel.localSmall(SoakRun.LARGE_PRICES)).largeMaxOutputTokens(64)
                    .spendCap(SpendCap.of(cap, Duration.ofHours(1))).ledger(CostLedger.create()).build();
            // when
            for (int i = 0; i < 20; i++) {
                model.chat("question " + i + "?");
            }
            Thread.sleep(600); // the last slow response is computed (and billed) after the client left
            // then: what the provider computed, and would bill, stays under the cap
            double billed = SoakRun.LARGE_PRICES.cost(llm.promptTokens(), llm.completionTokens());
            assertThat(billed).as("provider-billed large spend vs the cap of $%s", cap).isLessThanOrEqualTo(cap);
        }
    }
}
