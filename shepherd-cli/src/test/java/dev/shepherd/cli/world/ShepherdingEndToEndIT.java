package dev.shepherd.cli.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.CliRun;
import dev.shepherd.cli.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's whole path through the command line — label → train → calibrate → eval, live and replayed — in the
 * simulated hint-sensitive world ({@link HintWorld}: a SIMULATION, not real models), at small sizes.
 *
 * <p>Everything runs at concurrency 1, so the world's sampling sees the requests in one order and the run is the
 * same every time: the inequalities below are about the method, not about luck.
 */
class ShepherdingEndToEndIT {

    @TempDir
    static Path dir;

    static HintWorld world;
    static String[] models;
    static Path trainLabels;
    static Path validationLabels;
    static Path bundle;
    static CliRun train;
    static CliRun calibrate;

    @BeforeAll
    static void labelTrainCalibrate() throws IOException {
        Path trainFile = SharedFiles.require("data/gsm8k_train.jsonl");
        Path testFile = SharedFiles.require("data/gsm8k_test.jsonl");
        world = HintWorld.start(HintWorld.Config.builder().gsm8k(trainFile, testFile).seed(3).build());
        List<String> lines = Files.readAllLines(trainFile);
        Path trainSet = write("gsm8k-train.jsonl", lines.subList(0, 160));
        Path validationSet = write("gsm8k-val.jsonl", lines.subList(160, 260));
        models = new String[] {"--slm-provider", "openai", "--slm-base-url", world.smallBaseUrl(), "--slm-model",
            world.config().smallModel(), "--llm-provider", "openai", "--llm-base-url", world.largeBaseUrl(),
            "--llm-model", world.config().largeModel()};
        trainLabels = dir.resolve("train-labels.jsonl");
        validationLabels = dir.resolve("val-labels.jsonl");
        CliRun labelTrain = CliRun.of(concat("label", "--dataset", trainSet.toString(), "--out", trainLabels.toString(),
                "--no-progress", "--concurrency", "1"));
        assertThat(labelTrain.exitCode()).as(labelTrain.err()).isZero();
        CliRun labelValidation = CliRun.of(concat("label", "--dataset", validationSet.toString(), "--out",
                validationLabels.toString(), "--no-progress", "--concurrency", "1"));
        assertThat(labelValidation.exitCode()).as(labelValidation.err()).isZero();
        bundle = dir.resolve("bundle");
        train = CliRun.of("train", "--labels", trainLabels.toString(), "--out", bundle.toString(), "--max-epochs", "20");
        calibrate = CliRun.of("calibrate", "--bundle", bundle.toString(), "--labels", validationLabels.toString());
    }

    @AfterAll
    static void stopWorld() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void label_records_k_samples_with_token_entropy_from_the_servers_log_probabilities() throws IOException {
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(trainLabels).get(0));

        assertThat(first.get("samples")).hasSize(3);
        assertThat(first.get("entropy").asText()).isEqualTo("token");
        assertThat(first.get("features").has("mean_entropy")).isTrue();
        assertThat(first.get("features").get("mean_output_length").asDouble()).isPositive();
    }

    @Test
    void train_writes_query_only_and_reactive_heads_and_calibrate_chooses_a_rule_per_policy() throws IOException {
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("query-only heads", "reactive heads (token entropy", "best single feature");
        assertThat(bundle.resolve("heads.onnx")).isNotEmptyFile();
        assertThat(bundle.resolve("heads-reactive.onnx")).isNotEmptyFile();
        assertThat(calibrate.exitCode()).as(calibrate.err()).isZero();
        JsonNode uses = new ObjectMapper().readTree(bundle.resolve("shepherd-calibration.json").toFile()).get("uses");
        assertThat(uses.has("routing")).isTrue();
        assertThat(uses.has("proactive")).isTrue();
        assertThat(uses.get("reactive").get("agreement").asInt()).isBetween(2, 3);
        assertThat(uses.get("reactive").get("records").asInt()).isEqualTo(100);
    }

    @Test
    void live_eval_runs_every_shepherding_policy_and_reactive_beats_the_agreement_cascade() throws IOException {
        Path testSet = write("gsm8k-test.jsonl",
                Files.readAllLines(SharedFiles.require("data/gsm8k_test.jsonl")).subList(0, 80));
        Path json = dir.resolve("eval.json");
        world.resetUsage();

        CliRun eval = CliRun.of(concat("eval", "--dataset", testSet.toString(), "--predictor", bundle.toString(),
                "--strategies", "fixed-hint,agreement-cascade,proactive-shepherding,reactive-shepherding",
                "--json", json.toString(), "--no-progress", "--concurrency", "1"));

        assertThat(eval.exitCode()).as(eval.err()).isZero();
        Map<String, JsonNode> s = strategies(json);
        assertThat(s).containsKeys("slm-only", "llm-only", "routing", "random-routing", "fixed-hint",
                "agreement-cascade", "proactive-shepherding", "reactive-shepherding");
        s.values().forEach(r -> assertThat(r.get("failures").asInt()).as(r.toString()).isZero());
        double llm = s.get("llm-only").get("accuracy").asDouble();
        JsonNode reactive = s.get("reactive-shepherding");
        // Calibrated for 0.9 x LLM-only on 100 validation records; on 80 test queries one query is 1.25 points and
        // the standard error about 4, so the floor is checked at full size (bin/hint-world-e2e) and here, more
        // loosely, that reactive shepherding keeps most of the LLM's accuracy and gains over the small model.
        assertThat(reactive.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.8 * llm)
                .isGreaterThan(s.get("slm-only").get("accuracy").asDouble());
        assertThat(reactive.get("cost_usd").asDouble()).isLessThan(s.get("agreement-cascade").get("cost_usd").asDouble());
        assertThat(reactive.get("ace").asDouble()).isGreaterThan(s.get("agreement-cascade").get("ace").asDouble());
    }

    @Test
    void eval_replays_the_validation_labels_with_a_curve_per_knob_and_calls_no_model() throws IOException {
        Path json = dir.resolve("replay.json");
        world.resetUsage();

        CliRun replay = CliRun.of("eval", "--labels", validationLabels.toString(), "--predictor", bundle.toString(),
                "--json", json.toString());

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(world.smallUsage().requests() + world.largeUsage().requests()).isZero();
        Map<String, JsonNode> s = strategies(json);
        assertThat(s).containsKeys("oracle-shepherding", "routing", "proactive-shepherding", "agreement-cascade",
                "reactive-shepherding");
        assertThat(s.get("reactive-shepherding").get("curve").size()).isGreaterThan(10);
        assertThat(s.get("agreement-cascade").get("curve")).hasSize(3);
        assertThat(s.get("oracle-shepherding").get("accuracy").asDouble())
                .isGreaterThanOrEqualTo(s.get("oracle-routing").get("accuracy").asDouble() - 1e-9);
    }

    private static Map<String, JsonNode> strategies(Path json) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode n : new ObjectMapper().readTree(json.toFile()).get("strategies")) {
            out.put(n.get("name").asText(), n);
        }
        return out;
    }

    private static Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }

    private static String[] concat(String... head) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(models));
        return all.toArray(String[]::new);
    }
}
