package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.policy.TierCascade;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A three-tier ladder over real LangChain4j OpenAI clients and fake servers, and an AI Service with a tool. */
class ShepherdChatModelTiersIT {

    /** The README's three-tier snippet, verbatim between the markers. */
    static ShepherdChatModel threeTiers(String localUrl, String hostedUrl, String apiKey, CostLedger ledger) {
        // README-TIERS-SNIPPET-START
        ChatModel local = OpenAiChatModel.builder()     // e.g. a llama.cpp or vLLM server
                .baseUrl(localUrl).apiKey("none").modelName("llama3.2:3b")
                .timeout(Duration.ofSeconds(60)).maxRetries(0).build();
        ChatModel mid = OpenAiChatModel.builder()
                .baseUrl(hostedUrl).apiKey(apiKey).modelName("llama-3.1-8b")
                .timeout(Duration.ofSeconds(30)).maxRetries(1).build();
        ChatModel frontier = OpenAiChatModel.builder()
                .baseUrl(hostedUrl).apiKey(apiKey).modelName("gpt-4o")
                .timeout(Duration.ofSeconds(30)).maxRetries(1).build();

        ShepherdChatModel model = ShepherdChatModel.builder()
                .tiers(ChatModelTier.of("local", local, TokenPrices.free()),          // cheapest first
                       ChatModelTier.of("mid", mid, TokenPrices.perMillion(0.05, 0.08)),
                       ChatModelTier.of("frontier", frontier, TokenPrices.perMillion(2.50, 10.00)))
                .policy(TierCascade.builder().samples(3).agreement(2).build())  // climb until 2 of 3 agree
                .ledger(ledger)                                                // CostLedger.create(): keeps entries
                .build();
        // README-TIERS-SNIPPET-END
        return model;
    }

    @Test
    void should_climb_the_ladder_over_http_and_record_the_tier_that_answered() {
        AtomicInteger localSample = new AtomicInteger();
        try (FakeOpenAiServer localServer = FakeOpenAiServer.builder().knownModels("llama3.2:3b")
                .responder(req -> "I think #### " + localSample.incrementAndGet()).build();
             FakeOpenAiServer hosted = FakeOpenAiServer.builder().knownModels("llama-3.1-8b", "gpt-4o")
                     .responder(req -> req.model().equals("gpt-4o") ? "worked out #### 72" : "so #### 72").build()) {
            // given
            CostLedger ledger = CostLedger.create();
            ShepherdChatModel model = threeTiers(localServer.baseUrl(), hosted.baseUrl(), "test-key", ledger);

            // when
            ChatResponse r = model.chat(UserMessage.from("How many clips did Natalia sell altogether?"));

            // then: the local samples disagree, the middle tier's agree, the frontier is never paid
            ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) r.metadata();
            assertThat(r.aiMessage().text()).isEqualTo("so #### 72");
            assertThat(md.decision()).isEqualTo(Decision.largeFull());
            assertThat(md.answeredByTier()).isEqualTo("mid");
            assertThat(md.modelName()).contains("llama-3.1-8b");
            assertThat(md.notes()).containsExactly("local disagreed 1/3", "mid agreed 3/3");
            assertThat(hosted.requests()).allMatch(req -> req.model().equals("llama-3.1-8b")).hasSize(3);
            LedgerEntry e = ledger.entries().get(0);
            assertThat(ledger.entries()).hasSize(1);
            assertThat(e.answeredBy().tier()).isEqualTo("mid");
            assertThat(e.costByTier()).containsOnlyKeys("local", "mid");
            assertThat(e.costByTier().get("mid")).isEqualTo(TokenPrices.perMillion(0.05, 0.08)
                    .cost(e.tokens(dev.shepherd.core.model.ModelRole.LARGE, false),
                            e.tokens(dev.shepherd.core.model.ModelRole.LARGE, true)), org.assertj.core.api.Assertions.within(1e-15));
            assertThat(md.costUsd()).isEqualTo(e.costUsd());
            assertThat(md.costByTier()).containsOnlyKeys("local", "mid");

            // the README's per-tier ledger lines, verbatim
            for (LedgerEntry entry : ledger.entries()) {
                CallRecord answered = entry.answeredBy();       // tier(), model(), costUsd() of the answering call
                System.out.printf("%s %s %s $%.6f %s%n", entry.policy(), answered.tier(), answered.model(),
                        entry.costUsd(), entry.costByTier());
            }
        }
    }

    interface Assistant {
        String chat(String message);
    }

    static final class Calculator {
        final AtomicInteger calls = new AtomicInteger();

        @Tool("Adds two integers")
        int add(@P(name = "a", value = "first") int a, @P(name = "b", value = "second") int b) {
            calls.incrementAndGet();
            return a + b;
        }
    }

    @Test
    void should_route_an_ai_service_with_a_tool_unchanged_to_the_top_tier_over_http() {
        try (FakeOpenAiServer localServer = FakeOpenAiServer.builder().knownModels("llama3.2:3b")
                .responder(req -> "local answer").build();
             FakeOpenAiServer hosted = FakeOpenAiServer.builder().knownModels("llama-3.1-8b", "gpt-4o")
                     .responder(req -> req.lastMessage().role().equals("tool")
                             ? "The sum is " + req.lastMessage().content()
                             : req.rawBody().contains("\"tools\"") ? FakeOpenAiServer.toolCall("add", "{\"a\":20,\"b\":22}")
                             : "no tools").build()) {
            // given
            CostLedger ledger = CostLedger.create();
            ShepherdChatModel model = threeTiers(localServer.baseUrl(), hosted.baseUrl(), "test-key", ledger);
            Calculator calculator = new Calculator();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(calculator).build();

            // when
            String answer = assistant.chat("What is 20 + 22?");

            // then: the tool call and the final answer both came from the frontier, unchanged
            assertThat(answer).isEqualTo("The sum is 42");
            assertThat(calculator.calls).hasValue(1);
            assertThat(localServer.requestCount()).isZero();
            assertThat(hosted.requests()).hasSize(2).allMatch(req -> req.model().equals("gpt-4o"))
                    .allMatch(req -> req.rawBody().contains("\"tools\""));
            List<LedgerEntry> entries = ledger.entries();
            assertThat(ledger.answersByTier()).containsExactly(java.util.Map.entry("frontier", 2L));
            assertThat(entries).hasSize(2).allMatch(e -> e.policy().equals("routed-unchanged"))
                    .allMatch(e -> e.answeredBy().tier().equals("frontier") && e.costUsd() > 0)
                    .allMatch(e -> e.notes().contains("routed-unchanged: tool specifications"));
        }
    }
}
