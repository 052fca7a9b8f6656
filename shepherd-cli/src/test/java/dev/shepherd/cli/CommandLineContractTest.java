package dev.shepherd.cli;

import dev.shepherd.cli.report.AtomicFiles;
import dev.shepherd.onnx.BundleCalibration;
import dev.shepherd.onnx.PredictorBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a newcomer trusts of the command line: counts, exit codes, paths, file modes, help. No model is called. */
class CommandLineContractTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_limit_below_one_in_every_verb_naming_flag_and_value() throws IOException {
        // given
        Path labels = Files.writeString(dir.resolve("labels.jsonl"), "");
        for (String[] args : List.of(
                new String[] {"label", "--dataset", "gsm8k_train.jsonl", "--out", dir.resolve("l.jsonl").toString(),
                    "--limit", "0"},
                new String[] {"eval", "--labels", labels.toString(), "--limit", "0"},
                new String[] {"eval", "--labels", labels.toString(), "--limit", "-3"},
                new String[] {"train", "--labels", labels.toString(), "--out", dir.resolve("b").toString(),
                    "--limit", "0"})) {
            // when
            CliRun run = CliRun.of(args);
            // then
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
            assertThat(run.err()).contains("--limit: must be >= 1 but was " + args[args.length - 1]);
        }
    }

    @Test
    void should_refuse_max_cost_where_no_model_is_called_and_a_negative_one() throws IOException {
        // given
        Path labels = Files.writeString(dir.resolve("labels.jsonl"), "");
        // when
        CliRun replay = CliRun.of("eval", "--labels", labels.toString(), "--max-cost", "1");
        CliRun negative = CliRun.of("label", "--dataset", "x.jsonl", "--out", dir.resolve("o").toString(),
                "--max-cost", "-1", "--llm-provider", "openai", "--llm-base-url", "http://127.0.0.1:9/v1",
                "--llm-model", "m", "--slm-provider", "openai", "--slm-base-url", "http://127.0.0.1:9/v1",
                "--slm-model", "m");
        // then
        assertThat(replay.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(replay.err()).contains("--max-cost: applies to live evaluation (--dataset)");
        assertThat(negative.exitCode()).as(negative.err()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
    }

    @Test
    void should_not_create_folders_outside_the_working_directory() throws IOException {
        // given
        Path labels = Files.writeString(dir.resolve("labels.jsonl"), "");
        Path nope = dir.resolve("nope").resolve("dir").resolve("out.json");
        // when
        CliRun run = CliRun.of("eval", "--labels", labels.toString(), "--json", nope.toString());
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--json: folder " + nope.getParent() + " does not exist",
                "only folders under the working directory");
        assertThat(dir.resolve("nope")).doesNotExist();
    }

    @Test
    void should_write_files_with_the_users_umask_not_a_temporary_files_private_mode() throws IOException {
        // given: what the umask gives any new file here
        Path plain = Files.createFile(dir.resolve("plain"));
        // when
        AtomicFiles.write(dir.resolve("out.json"), "{}".getBytes());
        AtomicFiles.write(dir.resolve("out.json"), "{\"again\":1}".getBytes());
        PredictorBundle.at(dir.resolve("bundle")).writeCalibration(BundleCalibration.empty());
        // then
        var expected = Files.getPosixFilePermissions(plain);
        assertThat(Files.getPosixFilePermissions(dir.resolve("out.json"))).isEqualTo(expected);
        assertThat(Files.getPosixFilePermissions(dir.resolve("bundle").resolve(PredictorBundle.CALIBRATION)))
                .isEqualTo(expected);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void should_print_usage_on_stderr_and_exit_2_without_a_verb() {
        // when
        CliRun run = CliRun.of();
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("no command given", "Usage: shepherd", "Exit codes:");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void should_give_every_verb_an_example_and_every_option_a_placeholder_in_one_style() {
        for (String verb : List.of("eval", "ask", "label", "train", "calibrate", "convert", "serve", "distill")) {
            // when
            CliRun run = CliRun.of(verb, "--help");
            // then
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).as(verb).contains("Example:", "  shepherd " + verb + " ")
                    .doesNotContainPattern("<[a-zA-Z]+>");
        }
    }

    @Test
    void should_name_a_bad_file_once() throws IOException {
        // given
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"x\":1}\n");
        // when
        CliRun run = CliRun.of("eval", "--labels", bad.toString());
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains(bad + ":1: ").doesNotContain(bad + ": " + bad);
    }

    @Test
    void should_fail_an_unreachable_trace_download_as_a_run_time_failure_naming_url_and_cause() {
        // when: nothing listens on port 9
        CliRun run = CliRun.of("eval", "--trace", "routellm:https://127.0.0.1:9/trace.csv", "--cache-dir",
                dir.resolve("cache").toString());
        // then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ShepherdCli.EXIT_FAILURE);
        assertThat(run.err()).contains("cannot download trace https://127.0.0.1:9/trace.csv into " + dir.resolve("cache"),
                "cannot connect").doesNotContain("null").doesNotContain("Exception");
    }
}
