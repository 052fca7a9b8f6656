package dev.shepherd.cli.label;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.cli.CliRun;
import dev.shepherd.cli.SharedFiles;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shepherd label} with the real llama.cpp engine as the SLM (tiny stories260K GGUF, CPU). */
class LabelGgufIT {

    @TempDir
    Path dir;

    @Test
    void should_label_gsm8k_queries_with_the_in_process_gguf_slm() throws IOException {
        // given
        Path gguf = SharedFiles.require("models/stories260K.gguf");
        Path gsm8k = SharedFiles.require("data/gsm8k_test.jsonl");
        Path out = dir.resolve("labels.jsonl");
        try (FakeOpenAiServer llm = FakeOpenAiServer.start(LabelCommandIT.LLM)) {
            // when
            CliRun run = CliRun.of("label", "--dataset", gsm8k.toString(), "--limit", "2", "--out", out.toString(),
                    "--no-progress", "--concurrency", "2", "--slm-gguf", gguf.toString(), "--gguf-context", "512",
                    "--gguf-max-tokens", "24", "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(),
                    "--llm-model", "big");
            // then
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<JsonNode> records = LabelCommandIT.read(out);
            assertThat(records).hasSize(2);
            for (JsonNode r : records) {
                assertThat(r.get("slm_model").asText()).isEqualTo("gguf:stories260K.gguf");
                JsonNode level0 = r.get("levels").get(0).get("slm");
                assertThat(level0.get("output_tokens").asInt()).isBetween(1, 24);
                assertThat(level0.get("input_tokens").asInt()).isPositive();
                assertThat(level0.get("text").asText()).isNotBlank();
                // a 260K-parameter story model cannot do arithmetic: no level passes, so n* = |h_l| and all ten levels ran
                if (r.get("n_star_percent").asInt() == 100) {
                    assertThat(r.get("levels")).hasSize(10);
                    assertThat(r.get("n_star").asInt()).isEqualTo(r.get("llm_full").get("output_tokens").asInt());
                }
            }
        }
    }
}
