package dev.shepherd.cli.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.CliRun;
import dev.shepherd.cli.ShepherdCli;
import dev.shepherd.langchain4j.testing.FakeChatRequest;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Responder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shepherd label} end to end: the real LangChain4j OpenAI and Ollama clients over HTTP to local fake servers. */
public class LabelCommandIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern NUMBER = Pattern.compile("What is (\\d+) \\+ (\\d+)\\?");

    /** The LLM reasons in 20 words, then gives the right sum. */
    public static final Responder LLM = request -> {
        int sum = sum(request);
        return "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                + "seventeen eighteen nineteen twenty #### " + sum;
    };

    /** The SLM is right only when it got a hint. */
    public static final Responder SLM = request -> request.lastUserMessage().contains("\nHint: ")
            ? "with the hint it is #### " + sum(request) : "I guess #### 0";

    @TempDir
    Path dir;

    FakeOpenAiServer llm;
    FakeOllamaServer slm;
    Path data;

    @BeforeEach
    void start() throws IOException {
        llm = FakeOpenAiServer.start(LLM);
        slm = FakeOllamaServer.start(SLM);
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
    void should_label_every_query_with_n_star_at_the_first_passing_level() throws IOException {
        // given
        Path out = dir.resolve("labels.jsonl");
        // when
        CliRun run = CliRun.of(args(out, "--concurrency", "3", "--progress"));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("labeled 6 queries", "(0 already there, 0 failed)");
        assertThat(run.err()).contains("label [", "ETA", "cost $");
        List<JsonNode> records = read(out);
        assertThat(records).hasSize(6);
        JsonNode r = records.stream().filter(n -> n.get("id").asText().equals("q2")).findFirst().orElseThrow();
        assertThat(r.get("gold").asText()).isEqualTo("22");
        assertThat(r.get("llm_full").get("output_tokens").asInt()).isEqualTo(22);
        assertThat(r.get("llm_full").get("quality").asDouble()).isEqualTo(1.0);
        assertThat(r.get("llm_full").get("finish_reason").asText()).isEqualTo("STOP");
        JsonNode levels = r.get("levels");
        assertThat(levels).hasSize(2);
        assertThat(levels.get(0).get("percent").asInt()).isZero();
        assertThat(levels.get(0).get("slm").get("quality").asDouble()).isZero();
        assertThat(levels.get(1).get("percent").asInt()).isEqualTo(10);
        assertThat(levels.get(1).get("hint_tokens").asInt()).isEqualTo(2); // floor(0.1 * 22)
        assertThat(levels.get(1).get("hint_text").asText()).isEqualTo("one two");
        assertThat(levels.get(1).get("slm").get("quality").asDouble()).isEqualTo(1.0);
        assertThat(r.get("n_star").asInt()).isEqualTo(2);
        assertThat(r.get("n_star_percent").asInt()).isEqualTo(10);
        assertThat(r.get("keep").asBoolean()).isTrue();
        assertThat(r.get("all_levels").asBoolean()).isFalse();
        // Ollama's client returns no log-probabilities: the three samples agree on 0, answer entropy 0
        assertThat(r.get("samples")).hasSize(3);
        assertThat(r.get("samples").get(0).get("answer").asText()).isEqualTo("0");
        assertThat(r.get("samples").get(0).has("mean_entropy")).isFalse();
        assertThat(r.get("entropy").asText()).isEqualTo("answer");
        assertThat(r.get("features").get("mean_entropy").asDouble()).isZero();
        assertThat(r.get("features").get("mean_output_length").asDouble()).isEqualTo(4.0);
        // 6 queries x (1 full answer + 1 hint) on the LLM, 6 x (2 levels + 3 samples) on the SLM
        assertThat(llm.requestCount()).isEqualTo(12);
        assertThat(slm.requestCount()).isEqualTo(30);
        assertThat(run.out()).contains("42 model calls");
        // every call carries an output cap: the full answer the HTTP default, a hint its size
        assertThat(llm.requests()).allMatch(q -> q.maxTokens() != null);
        FakeChatRequest hint = llm.requests().stream()
                .filter(q -> q.maxTokens() < dev.shepherd.cli.live.ModelSetup.DEFAULT_MAX_OUTPUT_TOKENS)
                .findFirst().orElseThrow();
        assertThat(hint.maxTokens()).isEqualTo(2);
        assertThat(hint.temperature()).isEqualTo(0.0);
    }

    @Test
    void should_resume_without_losing_or_duplicating_records_and_drop_a_torn_line() throws IOException {
        // given: an earlier run wrote two records and was killed in the middle of the third
        Path out = dir.resolve("labels.jsonl");
        assertThat(CliRun.of(args(out, "--limit", "2")).exitCode()).isZero();
        Files.writeString(out, "{\"id\":\"q3\",\"dataset\":\"sums\",\"query\":\"What", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        llm.reset();
        // when
        CliRun run = CliRun.of(args(out));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("labeled 4 queries", "(2 already there, 0 failed)");
        assertThat(run.err()).contains("torn last line");
        List<JsonNode> records = read(out);
        Set<String> ids = new HashSet<>();
        records.forEach(n -> ids.add(n.get("id").asText()));
        assertThat(records).hasSize(6);
        assertThat(ids).containsExactlyInAnyOrder("q1", "q2", "q3", "q4", "q5", "q6");
        assertThat(llm.requestCount()).isEqualTo(8); // only the four missing queries were paid for
    }

    @Test
    void should_name_an_unset_key_variable_and_exit_with_bad_input() {
        // when
        CliRun run = CliRun.of("label", "--dataset", data.toString(), "--out", dir.resolve("x.jsonl").toString(),
                "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big",
                "--llm-api-key-env", "SHEPHERD_TEST_SURELY_UNSET_KEY");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("shepherd: error: --llm-api-key-env: environment variable "
                + "SHEPHERD_TEST_SURELY_UNSET_KEY is not set (it should hold the large model's API key)");
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
    }

    @Test
    void should_fail_in_one_line_when_an_endpoint_is_unreachable() {
        // when: nothing listens on port 9 of the loopback
        CliRun run = CliRun.of("label", "--dataset", data.toString(), "--out", dir.resolve("y.jsonl").toString(),
                "--no-progress", "--max-failures", "2", "--concurrency", "1",
                "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", "http://127.0.0.1:9/v1", "--llm-model", "big");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_FAILURE);
        assertThat(run.err()).contains("shepherd: error: 2 queries failed (first: q1: ").contains("rerun")
                .doesNotContain("\tat ");
        assertThat(run.out()).contains("labeled 0 queries");
    }

    private String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("label", "--dataset", data.toString(), "--out", out.toString(),
                "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big"));
        if (!List.of(extra).contains("--all-levels")) {
            a.add("--no-all-levels"); // these tests count the calls of labelling that stops at the first passing level
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    public static int sum(FakeChatRequest request) {
        Matcher m = NUMBER.matcher(request.lastUserMessage());
        return m.find() ? Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) : -1;
    }
}
