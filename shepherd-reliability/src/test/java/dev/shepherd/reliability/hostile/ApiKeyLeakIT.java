package dev.shepherd.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import dev.shepherd.reliability.support.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys never appear in logs, exceptions, reports or the ledger: a canary key is configured, every failure a
 * provider can produce is forced (401, 500, malformed JSON, a reset connection, an unreachable host), and all
 * that was printed, logged, thrown or written is scanned for it.
 */
class ApiKeyLeakIT {

    private static final List<Fault> FAULTS = List.of(Fault.status(401), Fault.status(500), Fault.malformedJson(),
            Fault.connectionReset());

    @TempDir
    Path dir;

    @Test
    void should_keep_the_key_out_of_logs_exceptions_metadata_and_the_ledger() throws IOException {
        String canary = canary();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        StringBuilder seen = new StringBuilder();
        CostLedger ledger = CostLedger.create();
        try (FakeOpenAiServer llm = FakeOpenAiServer.start(request -> "the large answer");
             FakeOllamaServer slm = FakeOllamaServer.start(request -> "the small answer")) {
            // slf4j-simple writes to whatever System.err is when it logs
            PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
            System.setErr(tee);
            System.setOut(tee);
            // given: request and response logging on, as a user debugging a failure would have it
            ChatModel large = OpenAiChatModel.builder().baseUrl(llm.baseUrl()).apiKey(canary).modelName("llm")
                    .logRequests(true).logResponses(true).maxRetries(0).timeout(Duration.ofSeconds(5)).build();
            ChatModel small = OllamaChatModel.builder().baseUrl(slm.baseUrl()).modelName("slm").maxRetries(0)
                    .timeout(Duration.ofSeconds(5)).build();
            for (FailureMode mode : FailureMode.values()) {
                ShepherdChatModel model = ShepherdChatModel.builder().small(small).large(large)
                        .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1.0, 500))
                                .rule(new HintDecisionRule(0.5, 20, 1000)).build())
                        .costModel(CostModel.localSmall(TokenPrices.perMillion(1, 2))).failureMode(mode)
                        .ledger(ledger).build();
                seen.append(model).append('\n');
                for (Fault f : FAULTS) {
                    llm.faultNext(f);
                    // when
                    try {
                        seen.append(model.chat(dev.langchain4j.data.message.UserMessage.from("q?"))).append('\n');
                    } catch (RuntimeException e) {
                        StringWriter trace = new StringWriter();
                        e.printStackTrace(new PrintWriter(trace));
                        seen.append(e).append('\n').append(trace).append('\n');
                    }
                }
            }
            // and an unreachable endpoint
            ChatModel nowhere = OpenAiChatModel.builder().baseUrl("http://127.0.0.1:9/v1").apiKey(canary)
                    .modelName("llm").maxRetries(0).timeout(Duration.ofSeconds(2)).build();
            try {
                nowhere.chat("q?");
            } catch (RuntimeException e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                seen.append(trace);
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        StringWriter jsonl = new StringWriter();
        ledger.writeJsonl(jsonl);
        String logs = captured.toString(StandardCharsets.UTF_8);
        // then: the failures were really produced and logged, and the key is nowhere
        assertThat(ledger.entries()).hasSize(2 * FAULTS.size());
        assertThat(logs).contains("large model skipped").contains("Authorization");
        assertThat(seen.toString()).contains("ModelCallException");
        assertNoCanary(canary, "logs", logs);
        assertNoCanary(canary, "exceptions and responses", seen.toString());
        assertNoCanary(canary, "ledger", jsonl.toString());
    }

    @Test
    void should_keep_the_key_out_of_the_cli_output_and_files_when_the_llm_fails() throws Exception {
        String canary = canary();
        Path data = dir.resolve("sums.jsonl");
        Files.write(data, List.of("{\"id\":\"q1\",\"query\":\"What is 1 + 2?\",\"gold\":\"3\"}",
                "{\"id\":\"q2\",\"query\":\"What is 2 + 2?\",\"gold\":\"4\"}"));
        try (FakeOpenAiServer llm = FakeOpenAiServer.start(request -> "#### 3");
             FakeOllamaServer slm = FakeOllamaServer.start(request -> "#### 3")) {
            for (Fault f : FAULTS) {
                // given: the key in the variable the CLI is told to read, and a failing LLM
                llm.fault(f);
                Path out = dir.resolve("labels-" + f.kind() + "-" + f.status() + ".jsonl");
                // when
                ChildJvm cli = ChildJvm.start(dir, Map.of("SHEPHERD_CANARY_LLM_KEY", canary),
                        "dev.shepherd.cli.ShepherdCli", List.of("label", "--dataset", data.toString(),
                                "--out", out.toString(), "--no-progress", "--concurrency", "1",
                                "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big",
                                "--llm-api-key-env", "SHEPHERD_CANARY_LLM_KEY"));
                int code = cli.waitFor(Duration.ofSeconds(60));
                // then: it failed, said why, and never printed or wrote the key
                assertThat(code).as(cli.err()).isNotZero();
                assertThat(cli.err()).contains("shepherd: error:");
                assertNoCanary(canary, "CLI stdout (" + f + ")", cli.out());
                assertNoCanary(canary, "CLI stderr (" + f + ")", cli.err());
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                assertNoCanary(canary, p.toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static String canary() {
        return "sk-canary-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The whole key, and its secret middle (masking that keeps a prefix and a suffix is fine). */
    private static void assertNoCanary(String canary, String where, String text) {
        String middle = canary.substring(14, canary.length() - 6);
        assertThat(text.contains(canary)).as("the API key appears in the %s", where).isFalse();
        assertThat(text.contains(middle)).as("the middle of the API key appears in the %s", where).isFalse();
    }
}
