package dev.shepherd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.label.LabelCommandIT;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Responder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The paper's pipeline through the command line: label, train, calibrate, then use the bundle (real ONNX Runtime). */
class TrainCommandIT {

    /** Right alone on even first numbers; otherwise right only with a hint. */
    static final Responder SLM = request -> {
        int sum = LabelCommandIT.sum(request);
        boolean even = request.lastUserMessage().matches("(?s).*What is \\d*[02468] \\+.*");
        return even || request.lastUserMessage().contains("\nHint: ") ? "#### " + sum : "#### 0";
    };

    @TempDir
    Path dir;

    @Test
    void should_label_train_calibrate_and_ask_with_the_bundle() throws IOException {
        try (FakeOpenAiServer llm = FakeOpenAiServer.start(LabelCommandIT.LLM);
             FakeOllamaServer slm = FakeOllamaServer.start(SLM)) {
            // given: 30 labeled queries, half needing a hint
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                lines.add("{\"id\":\"q" + i + "\",\"query\":\"What is " + i + " + " + (3 * i) + "?\",\"gold\":\"" + (4 * i) + "\"}");
            }
            Path data = dir.resolve("sums.jsonl");
            Files.write(data, lines);
            Path labels = dir.resolve("labels.jsonl");
            String[] models = {"--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big"};
            CliRun label = CliRun.of(concat(new String[] {"label", "--dataset", data.toString(), "--out",
                labels.toString(), "--no-progress", "--concurrency", "4"}, models));
            assertThat(label.exitCode()).as(label.err()).isZero();
            Path bundle = dir.resolve("bundle");

            // when
            CliRun train = CliRun.of("train", "--labels", labels.toString(), "--out", bundle.toString(),
                    "--max-epochs", "5");
            CliRun calibrate = CliRun.of("calibrate", "--labels", labels.toString(), "--bundle", bundle.toString());
            CliRun ask = CliRun.of(concat(new String[] {"ask", "What is 7 + 21?", "--predictor", bundle.toString()},
                    models));

            // then
            assertThat(train.exitCode()).as(train.err()).isZero();
            assertThat(train.out()).contains("trained on 30 examples", "calibrated on", "wrote predictor bundle");
            assertThat(bundle.resolve("heads.onnx")).isNotEmptyFile();
            assertThat(calibrate.exitCode()).as(calibrate.err()).isZero();
            assertThat(calibrate.out()).contains("llm-only", "routing", "proactive-shepherding");
            JsonNode rule = new ObjectMapper().readTree(bundle.resolve("shepherd-calibration.json").toFile())
                    .get("uses").get("proactive");
            assertThat(rule.get("alpha").asDouble()).isBetween(0.0, 1.0);
            assertThat(rule.get("records").asInt()).isEqualTo(30);
            assertThat(ask.exitCode()).as(ask.err()).isZero();
            assertThat(ask.out()).contains("policy:   proactive-shepherding").containsPattern("decision: (SMALL_ONLY|HINT\\(\\d+\\)|LARGE_FULL)");

            // when: live eval with a copy of the bundle that lacks reactive heads, then with the bundle and the labels
            Path queryOnly = dir.resolve("query-only");
            Files.createDirectories(queryOnly.resolve("encoder"));
            for (String f : List.of("heads.onnx", "encoder/model.onnx", "encoder/tokenizer.json")) {
                Files.copy(bundle.resolve(f), queryOnly.resolve(f));
            }
            llm.reset();
            slm.reset();
            CliRun reactive = CliRun.of(concat(new String[] {"eval", "--dataset", data.toString(), "--predictor",
                queryOnly.toString(), "--strategies", "reactive-shepherding"}, models));
            int requestsAfterRefusal = llm.requestCount() + slm.requestCount();
            Path json = dir.resolve("live.json");
            CliRun eval = CliRun.of(concat(new String[] {"eval", "--dataset", data.toString(), "--predictor",
                bundle.toString(), "--labels", labels.toString(), "--json", json.toString(), "--no-progress",
                "--limit", "10"}, models));

            // then: reactive-shepherding cannot run on query-only heads, refused before any call
            assertThat(reactive.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
            assertThat(reactive.err()).contains("has no reactive heads");
            assertThat(requestsAfterRefusal).isZero();
            // the defaults: routing derived; proactive, reactive and oracle shepherding run
            assertThat(eval.exitCode()).as(eval.err()).isZero();
            JsonNode root = new ObjectMapper().readTree(json.toFile());
            List<String> names = new ArrayList<>();
            root.get("strategies").forEach(s -> names.add(s.get("name").asText()));
            assertThat(names).containsExactly("slm-only", "llm-only", "oracle-routing", "routing", "random-routing",
                    "fixed-hint", "agreement-cascade", "proactive-shepherding", "reactive-shepherding",
                    "oracle-shepherding");
            root.get("strategies").forEach(s -> assertThat(s.get("failures").asInt()).as(s.toString()).isZero());
            // n* is the smallest hint that made the SLM right, so the oracle is right everywhere
            JsonNode oracle = root.get("strategies").get(9);
            assertThat(oracle.get("accuracy").asDouble()).isEqualTo(1.0);
            assertThat(oracle.get("llm_calls").asInt()).isEqualTo(5); // q1, q3, ..., q9 need a hint
        }
    }

    @Test
    void should_train_a_router_on_a_trace_and_replay_routing_with_it() throws IOException {
        // given
        Path trace = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        Path bundle = dir.resolve("router");
        Path json = dir.resolve("routing.json");
        // when
        CliRun train = CliRun.of("train", "--trace", "routellm:" + trace, "--limit", "80", "--max-epochs", "3",
                "--out", bundle.toString());
        CliRun eval = CliRun.of("eval", "--trace", "routellm:" + trace, "--limit", "120", "--predictor",
                bundle.toString(), "--json", json.toString());
        // then
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("routing head (label: the SLM was wrong) on 80 rows", "calibrated routing threshold");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("routing is IN-SAMPLE on");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode routing = null;
        for (JsonNode s : root.get("strategies")) {
            if (s.get("name").asText().equals("routing")) {
                routing = s;
            }
        }
        assertThat(routing).isNotNull();
        assertThat(routing.get("curve").size()).isGreaterThan(2);
        double largeCalls = routing.get("llm_calls").asDouble();
        assertThat(largeCalls).isBetween(0.0, 120.0);
        for (JsonNode s : root.get("strategies")) {
            if (s.get("name").asText().equals("random-routing")) {
                assertThat(s.get("llm_calls").asDouble()).isEqualTo(largeCalls);
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
