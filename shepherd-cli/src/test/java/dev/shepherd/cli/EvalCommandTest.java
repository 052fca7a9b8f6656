package dev.shepherd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_replay_the_published_trace_into_table_json_and_report() throws IOException {
        // given
        Path trace = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        Path json = dir.resolve("out.json");
        Path report = dir.resolve("out");
        // when
        CliRun run = CliRun.of("eval", "--trace", "routellm:" + trace, "--json", json.toString(),
                "--report", report.toString());
        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("tokens counted with: cl100k_base", "slm-only", "llm-only", "oracle-routing",
                "random-routing", "not computable from this data", "paper's defaults");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("queries").asInt()).isEqualTo(857);
        assertThat(root.get("tokenizer").asText()).isEqualTo("cl100k_base");
        JsonNode slm = root.get("strategies").get(0);
        assertThat(slm.get("name").asText()).isEqualTo("slm-only");
        assertThat(slm.get("accuracy").asDouble()).isEqualTo(559 / 857.0);
        assertThat(slm.get("ace").isNull()).isTrue();
        JsonNode llm = root.get("strategies").get(1);
        assertThat(llm.get("accuracy").asDouble()).isEqualTo(736 / 857.0);
        assertThat(llm.get("cost_usd").asDouble()).isPositive();
        assertThat(llm.get("llm_calls").asDouble()).isEqualTo(857);
        for (String field : new String[] {"cost_reduction", "ace", "hint_tokens", "llm_calls"}) {
            assertThat(root.get("strategies").get(2).has(field)).as(field).isTrue();
        }
        assertThat(root.get("not_computable").size()).isGreaterThanOrEqualTo(4);
        assertThat(Files.size(report.resolve("cost_vs_accuracy.png"))).isGreaterThan(10_000);
        assertThat(Files.readString(report.resolve("cost_vs_accuracy.svg"))).contains("<svg");
        // 613 KB before sweeps were thinned and path coordinates rounded; the letters' outlines are most of the rest
        assertThat(Files.size(report.resolve("cost_vs_accuracy.svg"))).isLessThan(320_000);
        assertThat(Files.readString(report.resolve("report.md"))).contains("|oracle-routing|", "cost_vs_accuracy.png");
        assertThat(Files.readString(report.resolve("report.html"))).contains("<table>", "cost_vs_accuracy.svg");
    }

    @Test
    void should_fail_with_one_line_naming_the_column_for_a_csv_with_wrong_columns() throws IOException {
        // given
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "question,a,b\nq,True,False\n");
        // when
        CliRun run = CliRun.of("eval", "--trace", "routellm:" + bad, "--report", dir.resolve("r").toString());
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).startsWith("shepherd: error: " + bad + ":1: field 'prompt'").doesNotContain("\n");
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void should_reject_negative_prices_naming_the_option() {
        // given
        Path trace = SharedFiles.require("data/routellm_gsm8k_responses.dev.csv");
        // when
        CliRun run = CliRun.of("eval", "--trace", "routellm:" + trace, "--llm-price-out", "-1");
        // then
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("--llm-price-out: price must be a finite number >= 0").contains("-1.0");
    }

    @Test
    void should_add_stack_trace_only_with_verbose() throws IOException {
        // given
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "prompt\n");
        // when
        CliRun quiet = CliRun.of("eval", "--trace", "routellm:" + bad);
        CliRun verbose = CliRun.of("eval", "--verbose", "--trace", "routellm:" + bad);
        // then
        assertThat(quiet.err()).doesNotContain("\tat ");
        assertThat(verbose.err()).contains("InputException", "\tat ");
        assertThat(verbose.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
    }

    @Test
    void should_exit_with_usage_error_for_unknown_options() {
        CliRun run = CliRun.of("eval", "--trace", "routellm:x.csv", "--bogus");
        assertThat(run.exitCode()).isEqualTo(ShepherdCli.EXIT_BAD_INPUT);
        assertThat(run.err()).contains("Unknown option: '--bogus'");
    }
}
