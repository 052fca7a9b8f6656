package dev.shepherd.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ReactiveShepherding;
import dev.shepherd.jdbc.OutagePolicy;
import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.micrometer.langchain4j.ShepherdChatModelListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the README's JDBC-ledger-and-metrics snippet compiling, and runs it over real HTTP against the fake servers. */
class ReadmeFleetSnippetIT {

    @TempDir
    Path dir;

    /** What the snippet builds, for the test to look at. */
    record Built(ShepherdDatabase db, CostLedger ledger, PrometheusMeterRegistry registry, ChatModel model) {
    }

    /** The README snippet, verbatim between the markers. */
    static Built snippet(ChatModel ollama, ChatModel openAi, HintPredictor predictor, Path ledgerFile) {
        // README-SNIPPET-START
        ShepherdDatabase db = ShepherdDatabase.h2(ledgerFile);    // a fleet: ShepherdDatabase.connect(postgresUrl, user, pw)
        CostLedger ledger = CostLedger.over(db.ledger());         // one row per request; a restart continues the totals
        SpendCap cap = SpendCap.over(db.spendCap("chat", 5.00, Duration.ofHours(1), OutagePolicy.FALLBACK_TO_SMALL));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT); // or your app's
        ShepherdMetrics metrics = ShepherdMetrics.create();
        metrics.bindTo(registry);
        metrics.listenTo(ledger);                                 // requests, decisions, tokens, dollars, fallbacks
        metrics.monitor("chat", cap);                             // spent and limit of the cap's window

        ChatModel model = ShepherdChatModel.builder()
                .small(ollama)
                .large(openAi)
                .policy(ReactiveShepherding.builder().predictor(metrics.timed(predictor)).build())
                .costModel(CostModel.localSmall(TokenPrices.perMillion(0.15, 0.60)))
                .ledger(ledger)
                .spendCap(cap)
                .listeners(List.of(new ShepherdChatModelListener(registry)))  // latency as the caller sees it
                .build();
        // README-SNIPPET-END
        return new Built(db, ledger, registry, model);
    }

    @Test
    void should_be_the_snippet_of_the_readme_verbatim() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/dev/shepherd/micrometer/ReadmeFleetSnippetIT.java"));
        String body = source.substring(source.indexOf("// README-SNIPPET-START\n") + 24,
                source.indexOf("        // README-SNIPPET-END"));
        String snippet = body.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n"));
        assertThat(Files.readString(Path.of("..", "README.md"))).contains(snippet);
    }

    @Test
    void should_make_the_same_calls_in_the_readmes_spring_variant() throws IOException {
        // given: the tested snippet's statements, without the declarations and the registry it creates itself
        String source = Files.readString(
                Path.of("src/test/java/dev/shepherd/micrometer/ReadmeFleetSnippetIT.java"));
        List<String> calls = source.substring(source.indexOf("// README-SNIPPET-START\n") + 24,
                        source.indexOf("        // README-SNIPPET-END")).lines()
                .map(l -> l.replaceAll("//.*$", "").strip().replaceFirst("^\\w+ \\w+ = ", ""))
                .filter(l -> !l.isEmpty() && !l.contains("PrometheusMeterRegistry"))
                .toList();
        // when: the README's Spring @Configuration block
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\n(@Configuration.*?)```",
                Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README.md has a ```java block starting with @Configuration").isTrue();
        String spring = m.group(1);
        // then: every call of the tested snippet is there, the database closed with the context
        assertThat(calls).hasSizeGreaterThan(10).allSatisfy(call -> assertThat(spring).contains(call));
        assertThat(spring).contains("@Bean(destroyMethod = \"close\")\n    ShepherdDatabase");
    }

    @Test
    void should_run_the_readme_snippet_over_real_http_and_keep_the_ledger_across_a_restart() {
        AtomicInteger sample = new AtomicInteger();
        Path ledgerFile = dir.resolve("shepherd");
        try (FakeOllamaServer ollamaServer = FakeOllamaServer.builder().knownModels("llama3.2:3b")
                .responder(req -> req.lastUserMessage().contains("Hint:") ? "#### 72" : "#### " + sample.incrementAndGet())
                .build();
             FakeOpenAiServer openAiServer = FakeOpenAiServer.builder().knownModels("gpt-4o-mini")
                     .responder(req -> "In April she sold 48 clips and in May half as many, 24, so 72 in total").build()) {
            ChatModel ollama = OllamaChatModel.builder().baseUrl(ollamaServer.baseUrl()).modelName("llama3.2:3b")
                    .timeout(Duration.ofSeconds(30)).build();
            ChatModel openAi = OpenAiChatModel.builder().baseUrl(openAiServer.baseUrl()).apiKey("test-key")
                    .modelName("gpt-4o-mini").timeout(Duration.ofSeconds(30)).build();

            // given
            Built built = snippet(ollama, openAi, HintPredictor.constant(0.9, 8), ledgerFile);

            // when
            for (int i = 0; i < 3; i++) {
                assertThat(built.model().chat(UserMessage.from("How many clips, question " + i + "?")).aiMessage().text())
                        .isEqualTo("#### 72");
            }
            String scrape = built.registry().scrape();
            double cost = built.ledger().totals().costUsd();
            built.db().close();

            // then: the metrics saw three hinted requests, the ledger kept three rows, and a restart sees them
            assertThat(scrape)
                    .containsPattern("shepherd_requests_total\\{answer_model=\"[^\"]+\",answer_tier=\"small\","
                            + "decision=\"hint\",outcome=\"answered\","
                            + "policy=\"reactive-shepherding\",tier=\"small\"} 3\\.0")
                    .containsPattern("shepherd_hint_tokens_count\\{policy=\"reactive-shepherding\"} 3")
                    .containsPattern("shepherd_cost_usd_total\\{model=\"open_ai:gpt-4o-mini\",role=\"large\"} \\d\\.\\d+E-\\d")
                    .contains("shepherd_chat_requests_seconds_count{decision=\"hint\",outcome=\"answered\"} 3")
                    .contains("shepherd_predictor_latency_seconds_count{batch=\"false\"} 3")
                    .containsPattern("shepherd_spend_cap_limit_usd\\{cap=\"chat\"} 5\\.0");
            assertThat(cost).isPositive();
            try (ShepherdDatabase again = ShepherdDatabase.h2(ledgerFile)) {
                CostLedger restarted = CostLedger.over(again.ledger());
                assertThat(restarted.totals().requests()).isEqualTo(3);
                assertThat(restarted.totals().hintTokens()).isEqualTo(24);
                assertThat(restarted.totals().costUsd()).isEqualTo(cost, org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }
}
