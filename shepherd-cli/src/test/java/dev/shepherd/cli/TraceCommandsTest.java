package dev.shepherd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.trace.SyntheticLadder;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceJsonl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code convert} and {@code eval --trace jsonl:} over the SIMULATED four-model ladder ({@link SyntheticLadder}). */
class TraceCommandsTest {

    @TempDir
    Path dir;

    static List<String> prices() {
        List<String> args = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            args.add("--price");
            args.add(SyntheticLadder.MODELS.get(j) + "=" + SyntheticLadder.PRICES[j][0] + ":" + SyntheticLadder.PRICES[j][1]);
        }
        return args;
    }

    private Path ladder(int n) {
        Path file = dir.resolve("ladder.jsonl");
        TraceJsonl.write(file, SyntheticLadder.generate(n, 5, true));
        return file;
    }

    @Test
    void should_replay_four_models_into_table_and_json_with_every_metric() throws IOException {
        // given
        Path trace = ladder(300);
        Path json = dir.resolve("out.json");
        List<String> args = new ArrayList<>(List.of("eval", "--trace", "jsonl:" + trace, "--json", json.toString()));
        args.addAll(prices());
        // when
        CliRun run = CliRun.of(args.toArray(String[]::new));
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("models, cheapest first (floor: tiny-1b, reference: frontier)",
                "counted with cl100k_base where the trace has none (tiny-1b: 300", "only:tiny-1b", "only:frontier",
                "oracle-routing", "random-routing", "agreement-cascade", "confidence-cascade", "APGR", "CPT(80%)",
                "IBC lift", "calls by model %");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("floor").asText()).isEqualTo("only:tiny-1b");
        assertThat(root.get("reference").asText()).isEqualTo("only:frontier");
        assertThat(root.get("models")).hasSize(4);
        for (JsonNode s : root.get("strategies")) {
            for (String field : new String[] {"accuracy", "cost_usd", "ace", "apgr", "cpt_50", "cpt_80", "ibc_lift"}) {
                assertThat(s.has(field)).as(s.get("name") + "." + field).isTrue();
            }
            assertThat(s.get("apgr").isNumber()).as(s.get("name").asText()).isTrue();
        }
        Trace t = TraceJsonl.read(trace);
        JsonNode frontier = strategy(root, "only:frontier");
        long right = t.records().stream().filter(r -> r.response("frontier").quality() == 1).count();
        assertThat(frontier.get("accuracy").asDouble()).isEqualTo(right / 300.0);
        assertThat(frontier.get("llm_calls").asDouble()).isEqualTo(300);
        assertThat(strategy(root, "oracle-routing").get("calls_per_model")).hasSize(4);
        // the ladder against its best two-model pair, in the table and the JSON
        assertThat(run.out()).contains("the 4-model ladder vs the best two-model pair", "pair confidence-cascade");
        JsonNode comparison = root.get("ladder_vs_best_pair");
        assertThat(comparison.get("pairs")).hasSize(6);
        assertThat(comparison.get("best_pair").get("dearer").asText()).isNotEmpty();
        assertThat(comparison.get("criterion").asText()).contains("least cost");
        for (JsonNode row : comparison.get("rows")) {
            for (String field : new String[] {"side", "models", "name", "accuracy", "cost_usd", "ace", "apgr",
                "cpt_50", "cpt_80", "min_cost_to_target"}) {
                assertThat(row.has(field)).as(row.get("name") + "." + field).isTrue();
            }
        }
        assertThat(comparison.get("rows").findValuesAsText("side")).contains("ladder", "best pair");
    }

    static JsonNode strategy(JsonNode root, String name) {
        for (JsonNode s : root.get("strategies")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no strategy " + name + " in " + root);
    }

    @Test
    void should_name_every_model_without_prices() throws IOException {
        // when
        CliRun run = CliRun.of("eval", "--trace", "jsonl:" + ladder(20), "--price", "tiny-1b=0:0");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--price: no prices for [small-8b, medium-70b, frontier]");
    }

    @Test
    void should_keep_one_side_of_the_split_by_id_hash() throws IOException {
        // given
        Path trace = ladder(200);
        List<String> test = new ArrayList<>(List.of("eval", "--trace", "jsonl:" + trace, "--split", "test",
                "--json", dir.resolve("test.json").toString()));
        test.addAll(prices());
        List<String> train = new ArrayList<>(test);
        train.set(train.indexOf("test"), "train");
        train.set(train.indexOf(dir.resolve("test.json").toString()), dir.resolve("train.json").toString());
        // when
        CliRun a = CliRun.of(test.toArray(String[]::new));
        CliRun b = CliRun.of(train.toArray(String[]::new));
        // then: the two sides partition the queries
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        int nTest = new ObjectMapper().readTree(dir.resolve("test.json").toFile()).get("queries").asInt();
        int nTrain = new ObjectMapper().readTree(dir.resolve("train.json").toFile()).get("queries").asInt();
        assertThat(nTest + nTrain).isEqualTo(200);
        assertThat(nTest).isBetween(70, 130);
        assertThat(a.out()).contains("replayed the test side of the split (held-out share 0.50 by SHA-256 of the id)");
    }

    @Test
    void should_convert_a_routellm_csv_to_jsonl_that_replays_the_same() throws IOException {
        // given
        Path csv = Files.writeString(dir.resolve("t.csv"), "prompt,weak,strong,weak_response,strong_response\n"
                + "\"What is 2+2?\",True,True,4,four\nHard one,False,True,x,\"y, z\"\n");
        Path out = dir.resolve("t.jsonl");
        // when
        CliRun run = CliRun.of("convert", "--trace", "routellm:" + csv, "--out", out.toString());
        CliRun fromCsv = CliRun.of("eval", "--trace", "routellm:" + csv);
        CliRun fromJsonl = CliRun.of("eval", "--trace", "jsonl:" + out);
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + out + ": 2 queries, models [weak, strong]");
        assertThat(Files.readAllLines(out)).first().asString().startsWith("{\"id\":\"routellm-2\",\"query\":\"What is 2+2?\","
                + "\"models\":{\"weak\":{\"text\":\"4\",\"correct\":true},\"strong\":{\"text\":\"four\",\"correct\":true}}}");
        assertThat(table(fromJsonl.out())).isEqualTo(table(fromCsv.out()));
    }

    @Test
    void should_convert_the_real_routellm_trace() throws IOException {
        // given
        Path csv = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        Path out = dir.resolve("gsm8k.jsonl");
        // when
        CliRun run = CliRun.of("convert", "--trace", "routellm:" + csv, "--out", out.toString());
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        Trace t = TraceJsonl.read(out);
        assertThat(t.size()).isEqualTo(857);
        assertThat(t.records().stream().filter(r -> r.response(t.models().get(0)).quality() == 1).count()).isEqualTo(559);
    }

    @Test
    void should_replay_a_label_file_as_a_two_model_trace_with_its_samples() throws IOException {
        // given: two shepherd label records (docs/labels.md) with K = 3 small-model samples each
        String level = "\"levels\":[{\"percent\":0,\"hint_tokens\":0,\"slm\":{\"text\":\"#### %s\",\"input_tokens\":9,"
                + "\"output_tokens\":5,\"quality\":%s}},{\"percent\":10,\"hint_tokens\":2,\"hint_text\":\"h\","
                + "\"slm\":{\"text\":\"#### 4\",\"input_tokens\":11,\"output_tokens\":5,\"quality\":1}}]";
        String sample = "{\"text\":\"#### %1$s\",\"answer\":\"%1$s\",\"input_tokens\":9,\"output_tokens\":5,\"quality\":%2$s}";
        String r1 = "{\"id\":\"a\",\"query\":\"2+2?\",\"slm_model\":\"s\",\"llm_model\":\"l\",\"llm_full\":{\"text\":\"#### 4\","
                + "\"input_tokens\":9,\"output_tokens\":20,\"quality\":1}," + String.format(level, "4", "1") + ",\"samples\":["
                + String.format(sample, "4", "1") + "," + String.format(sample, "4", "1") + "," + String.format(sample, "4", "1")
                + "],\"n_star\":0}";
        String r2 = "{\"id\":\"b\",\"query\":\"3+3?\",\"slm_model\":\"s\",\"llm_model\":\"l\",\"llm_full\":{\"text\":\"#### 6\","
                + "\"input_tokens\":9,\"output_tokens\":20,\"quality\":1}," + String.format(level, "5", "0") + ",\"samples\":["
                + String.format(sample, "5", "0") + "," + String.format(sample, "6", "1") + "," + String.format(sample, "7", "0")
                + "],\"n_star\":2}";
        Path labels = Files.writeString(dir.resolve("labels.jsonl"), r1 + "\n" + r2 + "\n");
        // when
        CliRun run = CliRun.of("eval", "--trace", "jsonl:" + labels, "--price", "s=0:0", "--price", "l=1:2");
        // then: the agreement cascade answers a from the samples and sends b to l
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("SLM: s at", "LLM: l at", "tokens: recorded in the trace",
                "hint levels, which trace replay does not replay yet").containsPattern("agreement-cascade +100.0 %");
    }

    /** The table lines of an eval output (setup, notes and timing differ by source). */
    private static String table(String out) {
        int from = out.indexOf("strategy ");
        return out.substring(from, out.indexOf("\n\n", from));
    }
}
