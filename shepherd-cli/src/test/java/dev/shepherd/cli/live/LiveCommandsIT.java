package dev.shepherd.cli.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.CliRun;
import dev.shepherd.cli.ShepherdCli;
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
                "--strategies", "fixed-hint,agreement-cascade", "--hint-tokens", "4", "--progress"));
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
        assertThat(missing).contains("routing", "proactive-shepherding", "reactive-shepherding", "oracle-shepherding");
        assertThat(run.err()).contains("evaluated slm-only on 6 queries (0 failed) in ",
                "evaluated fixed-hint on 6 queries (0 failed) in ", "fixed-hint [", "ETA");
    }

    @Test
    void should_run_every_strategy_that_needs_no_predictor_live() throws IOException {
        // given
        Path json = dir.resolve("all.json");
        List<String> names = List.of("slm-only", "llm-only", "oracle-routing", "random-routing", "fixed-hint",
                "agreement-cascade", "confidence-cascade", "slm-initiated-help");
        // when
        CliRun run = CliRun.of(models("eval", "--dataset", data.toString(), "--json", json.toString(),
                "--report", dir.resolve("report").toString(), "--strategies", String.join(",", names), "--progress"));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<String> reported = new ArrayList<>();
        root.get("strategies").forEach(n -> reported.add(n.get("name").asText()));
        assertThat(reported).containsExactlyInAnyOrderElementsOf(names);
        root.get("strategies").forEach(n -> assertThat(n.get("failures").asInt()).as(n.toString()).isZero());
        // the SLM never states a confidence (read as 0), so the cascade always buys the LLM's answer
        assertThat(accuracy(root, "confidence-cascade")).isEqualTo(1.0);
        assertThat(strategy(root, "confidence-cascade").get("llm_calls").asInt()).isEqualTo(6);
        // the SLM never writes [HELP], so it answers alone
        assertThat(accuracy(root, "slm-initiated-help")).isZero();
        assertThat(strategy(root, "slm-initiated-help").get("llm_calls").asInt()).isZero();
        assertThat(run.out()).doesNotContain("failed");
        assertThat(run.err()).contains("evaluated confidence-cascade on 6 queries (0 failed) in ",
                "evaluated slm-initiated-help on 6 queries (0 failed) in ");
        assertThat(Files.readString(dir.resolve("report").resolve("report.md"))).contains("|confidence-cascade|");
    }

    @Test
    void should_refuse_unknown_and_unsupported_names_before_any_request() {
        for (String[] c : new String[][] {
            {"fixed-hint,nope", "--strategies: unknown strategy 'nope'; valid: slm-only, llm-only"},
            {"routing", "--strategies: routing needs a predictor: pass --predictor BUNDLE"},
            {"proactive-shepherding", "proactive-shepherding needs a predictor"},
            {"oracle-shepherding", "oracle-shepherding needs n* labels: pass --labels FILE"}}) {
            // when
            CliRun run = CliRun.of(models("eval", "--dataset", data.toString(), "--strategies", c[0]));
            // then
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
            assertThat(run.err()).contains(c[1]).contains("slm-initiated-help").doesNotContain("\tat ");
            assertThat(llm.requestCount()).as(c[0]).isZero();
            assertThat(slm.requestCount()).as(c[0]).isZero();
        }
    }

    @Test
    void should_report_a_strategy_that_failed_on_one_query_and_keep_every_other_result() throws IOException {
        // given: the SLM breaks the connection on q3's confidence request only
        slm.responder(request -> {
            if (request.lastUserMessage().contains("Confidence:") && request.lastUserMessage().contains("3 + 30")) {
                throw new IllegalStateException("injected: no answer for q3");
            }
            return LabelCommandIT.SLM.respond(request);
        });
        Path json = dir.resolve("failed.json");
        Path report = dir.resolve("failed-report");
        // when
        CliRun run = CliRun.of(models("eval", "--dataset", data.toString(), "--json", json.toString(),
                "--report", report.toString(), "--strategies", "fixed-hint,confidence-cascade,agreement-cascade",
                "--concurrency", "2", "--progress"));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode cascade = strategy(root, "confidence-cascade");
        assertThat(cascade.get("failures").asInt()).isEqualTo(1);
        assertThat(cascade.get("accuracy").asDouble()).isEqualTo(5 / 6.0); // the failed query counts as wrong
        assertThat(cascade.get("note").asText()).contains("failed on 1 of 6 queries",
                "first: " + data + ":3 (q3): ");
        for (String other : List.of("slm-only", "llm-only", "oracle-routing", "fixed-hint", "agreement-cascade")) {
            assertThat(strategy(root, other).get("failures").asInt()).as(other).isZero();
        }
        assertThat(accuracy(root, "llm-only")).isEqualTo(1.0);
        assertThat(accuracy(root, "fixed-hint")).isEqualTo(1.0);
        assertThat(root.get("notes").toString()).contains("queries failed under confidence-cascade (1)");
        assertThat(run.out()).containsPattern("strategy .* failed\\n")
                .containsPattern("confidence-cascade .* 1\\n");
        assertThat(run.err()).contains("evaluated confidence-cascade on 6 queries (1 failed) in ");
        assertThat(Files.readString(report.resolve("report.md"))).contains("|failed|", "failed on 1 of 6 queries");
    }

    @Test
    void should_evaluate_oracle_shepherding_from_labels_and_name_missing_labels() throws IOException {
        // given: q1 and q2 need no hint (n* = 0), the others a 2-token hint
        Path labels = dir.resolve("labels.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            lines.add(label("q" + i, i <= 2 ? 0 : 2));
        }
        Files.write(labels, lines);
        Path json = dir.resolve("oracle.json");
        // when
        CliRun run = CliRun.of(models("eval", "--dataset", data.toString(), "--labels", labels.toString(),
                "--json", json.toString(), "--strategies", "oracle-shepherding"));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode oracle = strategy(root, "oracle-shepherding");
        assertThat(oracle.get("accuracy").asDouble()).isEqualTo(4 / 6.0); // the SLM alone is wrong on q1, q2
        assertThat(oracle.get("hint_tokens").asInt()).isEqualTo(8);
        assertThat(oracle.get("llm_calls").asInt()).isEqualTo(4);
        assertThat(oracle.get("failures").asInt()).isZero();

        // given: labels for four of the six queries only
        Files.write(labels, lines.subList(0, 4));
        llm.reset();
        slm.reset();
        // when
        CliRun partial = CliRun.of(models("eval", "--dataset", data.toString(), "--labels", labels.toString(),
                "--json", json.toString(), "--strategies", "oracle-shepherding"));
        // then
        assertThat(partial.exitCode()).as(partial.err()).isZero();
        root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("not_computable").toString()).contains("oracle-shepherding",
                "--labels lacks n* for 2 of 6 queries (first: q5)");
        assertThat(root.get("strategies").toString()).doesNotContain("oracle-shepherding");
        assertThat(llm.requestCount()).isEqualTo(6); // llm-only only
    }

    @Test
    void should_replay_a_label_file_without_dataset_and_without_any_model_call() throws IOException {
        // given
        Path labels = dir.resolve("replay-labels.jsonl");
        Files.write(labels, List.of(label("a", 0), label("b", 2), label("c", 2)));
        // when
        CliRun run = CliRun.of(models("eval", "--labels", labels.toString()));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("oracle-shepherding", "fixed-hint", "replayed from recorded labels");
        assertThat(llm.requestCount() + slm.requestCount()).isZero();
    }

    @Test
    void should_fail_ask_when_the_requested_large_model_fails_naming_endpoint_and_model() {
        // given: nothing listens on port 9
        List<String> a = new ArrayList<>(List.of("ask", "What is 2 + 20?", "--policy", "llm-only",
                "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", "http://127.0.0.1:9/v1", "--llm-model", "big"));
        // when
        CliRun strict = CliRun.of(a.toArray(String[]::new));
        a.set(3, "fixed-hint");
        CliRun fallback = CliRun.of(a.toArray(String[]::new));
        // then: llm-only asked for the large model's answer
        assertThat(strict.exitCode()).as(strict.err()).isEqualTo(ShepherdCli.EXIT_FAILURE);
        assertThat(strict.err()).contains("large model 'openai:big' failed", "http://127.0.0.1:9/v1")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(strict.out()).doesNotContain("answer:");
        // a shepherding policy may fall back, and says so
        assertThat(fallback.exitCode()).as(fallback.err()).isZero();
        assertThat(fallback.out()).contains("fallback: the large model failed, so the small model answered alone",
                "http://127.0.0.1:9/v1", "answer:   I guess #### 0").doesNotContain("Exception");
    }

    @Test
    void should_cap_the_large_models_full_answer_in_ask() {
        // when
        CliRun run = CliRun.of(models("ask", "What is 2 + 20?", "--policy", "llm-only"));
        // then: every call carries an output cap, so its worst-case cost is known
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(llm.lastRequest().maxTokens()).isEqualTo(ModelSetup.DEFAULT_MAX_OUTPUT_TOKENS);
    }

    @Test
    void should_state_the_worst_case_and_stop_eval_before_a_call_would_pass_max_cost() {
        // when: one LLM answer may cost up to 4096 output tokens at $0.79 / M, over $0.003
        CliRun run = CliRun.of(models("eval", "--dataset", data.toString(), "--strategies", "fixed-hint",
                "--max-cost", "0.001", "--no-progress"));
        // then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ShepherdCli.EXIT_FAILURE);
        assertThat(run.err().lines().findFirst().orElseThrow()).startsWith("worst-case cost of this run: $")
                .contains("for 6 queries", "--max-cost $0.0010");
        assertThat(run.err()).contains("--max-cost $0.001000 reached", "stopped before making it",
                "no table, the run is incomplete");
        assertThat(llm.requestCount()).isZero();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void should_state_the_worst_case_and_stop_label_before_a_call_would_pass_max_cost() throws IOException {
        // given
        Path out = dir.resolve("labels.jsonl");
        // when
        CliRun run = CliRun.of(models("label", "--dataset", data.toString(), "--out", out.toString(),
                "--max-cost", "0.001", "--no-progress", "--samples", "0"));
        CliRun unlimited = CliRun.of(models("label", "--dataset", data.toString(), "--out", out.toString(),
                "--no-progress", "--samples", "0", "--limit", "1"));
        // then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ShepherdCli.EXIT_FAILURE);
        assertThat(run.err().lines().findFirst().orElseThrow()).startsWith("worst-case cost of this run: $")
                .contains("for 6 queries", "--max-cost $0.0010");
        assertThat(run.err()).contains("--max-cost $0.001000 reached", "6 queries left unlabelled");
        assertThat(unlimited.exitCode()).as(unlimited.err()).isZero();
        assertThat(unlimited.err().lines().findFirst().orElseThrow()).contains("for 1 queries", "no --max-cost limit");
        assertThat(Files.readAllLines(out)).hasSize(1);
    }

    private static String label(String id, int nStar) {
        return "{\"id\":\"" + id + "\",\"query\":\"q\",\"llm_full\":{\"text\":\"t\",\"input_tokens\":10,"
                + "\"output_tokens\":22,\"finish_reason\":\"STOP\",\"quality\":1.0},\"levels\":[{\"percent\":0,"
                + "\"hint_tokens\":0,\"slm\":{\"input_tokens\":10,\"output_tokens\":5,\"quality\":0.0}}],"
                + "\"n_star\":" + nStar + "}";
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
