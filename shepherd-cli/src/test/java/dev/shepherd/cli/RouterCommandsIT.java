package dev.shepherd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.EncoderKind;
import dev.shepherd.onnx.OnnxRouter;
import dev.shepherd.trace.SyntheticLadder;
import dev.shepherd.trace.TraceJsonl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train --trace jsonl:} on one side of the id-hash split and {@code eval --predictor} on the other, over the
 * SIMULATED four-model ladder ({@link SyntheticLadder}); real MiniLM encoder (or the static tier distilled from it)
 * and ONNX Runtime.
 */
class RouterCommandsIT {

    @TempDir
    Path dir;

    private static String[] args(Path trace, String... rest) {
        List<String> a = new ArrayList<>(List.of(rest));
        a.addAll(TraceCommandsTest.prices());
        a.add("--trace");
        a.add("jsonl:" + trace);
        return a.toArray(String[]::new);
    }

    @Test
    void should_train_on_one_half_and_beat_random_routing_on_the_other() throws IOException {
        // given
        Path trace = dir.resolve("ladder.jsonl");
        TraceJsonl.write(trace, SyntheticLadder.generate(700, 21, false));
        Path bundle = dir.resolve("router");
        Path json = dir.resolve("test.json");
        // when
        CliRun train = CliRun.of(args(trace, "train", "--split", "train", "--out", bundle.toString()));
        CliRun eval = CliRun.of(args(trace, "eval", "--split", "test", "--predictor", bundle.toString(), "--json",
                json.toString()));
        // then
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("N-way router over 4 models, trained on", "train side of the split",
                "calibrated lambda", "wrote router bundle");
        assertThat(Files.isRegularFile(bundle.resolve("router.onnx"))).isTrue();
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("routing", "routing vs random at equal cost").doesNotContain("IN-SAMPLE");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode routing = TraceCommandsTest.strategy(root, "routing");
        JsonNode random = TraceCommandsTest.strategy(root, "random-routing");
        assertThat(routing.get("calls_per_model")).hasSize(4);
        // the router beats random routing with the same mix of models, and the best random mix at its cost
        assertThat(routing.get("accuracy").asDouble()).isGreaterThan(random.get("accuracy").asDouble());
        double atCost = accuracyAtCost(random.get("curve"), routing.get("cost_usd").asDouble());
        assertThat(routing.get("accuracy").asDouble()).isGreaterThan(atCost);
        assertThat(routing.get("apgr").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void should_flag_in_sample_queries_and_refuse_a_trace_of_other_models() throws IOException {
        // given: a router trained on all queries
        Path trace = dir.resolve("ladder.jsonl");
        TraceJsonl.write(trace, SyntheticLadder.generate(120, 4, false));
        Path bundle = dir.resolve("router");
        CliRun train = CliRun.of(args(trace, "train", "--out", bundle.toString()));
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path other = Files.writeString(dir.resolve("other.jsonl"), "{\"id\":\"q\",\"query\":\"x\",\"models\":"
                + "{\"a\":{\"text\":\"1\",\"correct\":true},\"b\":{\"text\":\"2\",\"correct\":false}}}\n");
        // when
        CliRun inSample = CliRun.of(args(trace, "eval", "--predictor", bundle.toString()));
        CliRun mismatch = CliRun.of("eval", "--trace", "jsonl:" + other, "--predictor", bundle.toString());
        // then
        assertThat(inSample.exitCode()).as(inSample.err()).isZero();
        assertThat(inSample.out()).contains("routing is IN-SAMPLE on 120 of 120 queries");
        assertThat(mismatch.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(mismatch.err()).contains("the router routes among [tiny-1b, small-8b, medium-70b, frontier] but "
                + "the trace's models are [a, b]");
    }

    @Test
    void should_train_and_replay_a_router_over_the_static_encoder() throws IOException {
        // given: the static tier distilled from MiniLM over a 4,000-token slice of its vocabulary (seconds), placed
        // where --encoder static finds it
        Path cache = dir.resolve("cache");
        Path table = Files.createDirectories(cache.resolve("static-encoders")).resolve(EncoderFiles.MINILM_ID);
        CliRun distill = CliRun.of("distill", "--encoder", DistillCommandIT.cutMiniLm(dir).toString(), "--out",
                table.toString(), "--dimensions", "32");
        assertThat(distill.exitCode()).as(distill.err()).isZero();
        Path trace = dir.resolve("ladder.jsonl");
        TraceJsonl.write(trace, SyntheticLadder.generate(700, 21, false));
        Path bundle = dir.resolve("router");
        Path json = dir.resolve("test.json");

        // when
        CliRun train = CliRun.of(args(trace, "train", "--split", "train", "--encoder", "static", "--cache-dir",
                cache.toString(), "--out", bundle.toString()));
        CliRun eval = CliRun.of(args(trace, "eval", "--split", "test", "--predictor", bundle.toString(), "--json",
                json.toString()));

        // then: a static router bundle (no transformer), replayed, beating random routing with the same mix
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.err()).doesNotContain("distilling"); // the cached table was used
        assertThat(train.out()).contains("N-way router over 4 models", "wrote router bundle");
        assertThat(OnnxRouter.readMetadata(bundle).encoderKind()).isEqualTo(EncoderKind.STATIC);
        assertThat(bundle.resolve("encoder/static-embeddings.bin")).isRegularFile();
        assertThat(bundle.resolve("encoder/model.onnx")).doesNotExist();
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("routing vs random at equal cost", "scoring the");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(TraceCommandsTest.strategy(root, "routing").get("accuracy").asDouble())
                .isGreaterThan(TraceCommandsTest.strategy(root, "random-routing").get("accuracy").asDouble());
    }

    private static double accuracyAtCost(JsonNode curve, double cost) {
        double best = 0;
        JsonNode prev = null;
        for (JsonNode p : curve) {
            if (prev != null && prev.get("cost_usd").asDouble() <= cost && cost <= p.get("cost_usd").asDouble()) {
                double a = prev.get("cost_usd").asDouble();
                double b = p.get("cost_usd").asDouble();
                double t = b == a ? 1 : (cost - a) / (b - a);
                best = Math.max(best, prev.get("accuracy").asDouble() + t * (p.get("accuracy").asDouble()
                        - prev.get("accuracy").asDouble()));
            }
            prev = p;
        }
        return best;
    }
}
