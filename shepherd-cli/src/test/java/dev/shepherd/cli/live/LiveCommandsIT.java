package dev.shepherd.cli.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.CliRun;
import dev.shepherd.cli.label.LabelCommandIT;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ask} and live {@code eval} over real HTTP to the fake OpenAI (LLM) and Ollama (SLM) servers. */
class LiveCommandsIT {

    @TempDir
    Path dir;

    FakeOpenAiServer llm;
    FakeOllamaServer slm;
    Path data;

    @BeforeEach
    void start() throws IOException {
        llm = FakeOpenAiServer.start(LabelCommandIT.LLM);
        slm = FakeOllamaServer.start(LabelCommandIT.SLM);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            lines.add("{\"id\":\"q" + i + "\",\"query\":\"What is " + i + " + " + (10 * i) + "?\",\"gold\":\"" + (11 * i) + "\"}");
        }
        data = dir.resolve("sums.jsonl");
        Files.write(data, lines);
    }

    @AfterEach
    void stop() {
        llm.close();
        slm.close();
    }

    @Test
    void should_print_decision_hint_and_cost_of_one_shepherded_answer() {
        // when
        CliRun run = CliRun.of(models("ask", "What is 2 + 20?", "--hint-tokens", "5"));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("policy:   fixed-hint", "decision: HINT(5)",
                "hint:     5 tokens: one two three four five", "answer:   with the hint it is #### 22");
        assertThat(run.out()).containsPattern("large hint +openai:big .* out +5 +\\$0\\.0000\\d\\d");
        assertThat(run.out()).containsPattern("small answer +ollama:small .* \\$0\\.000000");
        assertThat(run.out()).containsPattern("cost: +\\$0\\.0000\\d\\d");
        assertThat(llm.lastRequest().maxTokens()).isEqualTo(5);
    }

    @Test
    void should_evaluate_strategies_live_and_write_json() throws IOException {
        // given
        Path json = dir.resolve("live.json");
        // when
        CliRun run = CliRun.of(models("eval", "--dataset", data.toString(), "--json", json.toString(),
                "--strategies", "fixed-hint,agreement-cascade,proactive-shepherding", "--hint-tokens", "4"));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("queries").asInt()).isEqualTo(6);
        assertThat(root.get("tokenizer").asText()).isEqualTo("model-reported usage");
        assertThat(accuracy(root, "slm-only")).isZero();
        assertThat(accuracy(root, "llm-only")).isEqualTo(1.0);
        assertThat(accuracy(root, "oracle-routing")).isEqualTo(1.0);
        assertThat(accuracy(root, "fixed-hint")).isEqualTo(1.0);
        assertThat(strategy(root, "fixed-hint").get("hint_tokens").asInt()).isEqualTo(24);
        assertThat(strategy(root, "fixed-hint").get("cost_usd").asDouble())
                .isLessThan(strategy(root, "llm-only").get("cost_usd").asDouble());
        // the SLM's three samples agree on the wrong answer, so the cascade never escalates
        assertThat(accuracy(root, "agreement-cascade")).isZero();
        assertThat(strategy(root, "agreement-cascade").get("llm_calls").asInt()).isZero();
        List<String> missing = new ArrayList<>();
        root.get("not_computable").forEach(n -> missing.add(n.get("name").asText()));
        assertThat(missing).contains("routing", "proactive-shepherding");
    }

    private String[] models(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big"));
        return a.toArray(String[]::new);
    }

    private static JsonNode strategy(JsonNode root, String name) {
        for (JsonNode s : root.get("strategies")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no strategy " + name + " in " + root);
    }

    private static double accuracy(JsonNode root, String name) {
        return strategy(root, name).get("accuracy").asDouble();
    }
}
