package dev.shepherd.cli.label;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.cli.CliRun;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.SampleFeatures;
import dev.shepherd.langchain4j.testing.FakeChatRequest;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Responder;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shepherd label --samples K} end to end over an OpenAI-compatible small model: the samples, their features
 * and which entropy they use, log-probabilities asked for and a server that refuses them, and {@code --all-levels}.
 */
public class LabelSamplesIT {

    /** Without a hint, the SLM's k-th sample of a query answers k - 1 (so samples disagree); with one, right. */
    static Responder slm(ConcurrentHashMap<String, AtomicInteger> draws) {
        return request -> {
            if (request.lastUserMessage().contains("\nHint: ")) {
                return "with the hint it is #### " + LabelCommandIT.sum(request);
            }
            return "I guess #### " + draws.computeIfAbsent(request.lastUserMessage(), k -> new AtomicInteger())
                    .getAndIncrement() % 2;
        };
    }

    @TempDir
    Path dir;

    FakeOpenAiServer llm;
    FakeOpenAiServer slm;
    Path data;

    @BeforeEach
    void start() throws IOException {
        llm = FakeOpenAiServer.start(LabelCommandIT.LLM);
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            lines.add("{\"id\":\"q" + i + "\",\"query\":\"What is " + i + " + " + (10 * i) + "?\",\"gold\":\"" + (11 * i) + "\"}");
        }
        data = dir.resolve("sums.jsonl");
        Files.write(data, lines);
    }

    @AfterEach
    void stop() {
        llm.close();
        if (slm != null) {
            slm.close();
        }
    }

    @Test
    void should_record_three_samples_with_token_entropy_when_the_server_returns_logprobs() throws IOException {
        // given
        slm = FakeOpenAiServer.start(slm(new ConcurrentHashMap<>()));
        Path out = dir.resolve("labels.jsonl");

        // when
        CliRun run = CliRun.of(args(out, "--samples", "3", "--concurrency", "2"));

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("warning");
        // 4 x (2 levels + 3 samples) on the SLM, 4 x 2 on the LLM
        assertThat(slm.requestCount()).isEqualTo(20);
        assertThat(run.out()).contains("28 model calls");
        assertThat(slm.requests()).allSatisfy(q -> {
            assertThat(q.logprobs()).isTrue();
            assertThat(q.topLogprobs()).isEqualTo(5);
        });
        assertThat(llm.requests()).allSatisfy(q -> assertThat(q.logprobs()).isFalse());
        List<FakeChatRequest> bare = slm.requests().stream().filter(q -> !q.lastUserMessage().contains("Hint:")).toList();
        assertThat(bare).allSatisfy(q -> {
            assertThat(q.temperature()).isEqualTo(0.3);
            assertThat(q.topP()).isEqualTo(0.95);
        });
        List<LabelRecord> records = LabelFile.read(out);
        assertThat(records).hasSize(4);
        for (LabelRecord r : records) {
            assertThat(r.hasSamples()).isTrue();
            assertThat(r.samples()).hasSize(3);
            assertThat(r.entropy()).isEqualTo(LabelRecord.ENTROPY_TOKEN);
            assertThat(r.allLevels()).isFalse();
            assertThat(r.levels()).hasSize(2);
            assertThat(r.samples()).allSatisfy(s -> {
                assertThat(s.meanEntropy()).isNotNull().isPositive();
                assertThat(s.outputTokens()).isEqualTo(4);
                assertThat(s.answer()).isIn("0", "1");
                assertThat(s.quality()).isZero();
            });
            // exactly what reactive shepherding computes at serving time
            SampleFeatures.Result expected = SampleFeatures.compute(
                    r.samples().stream().map(LabelRecord.Sample::meanEntropy).toList(),
                    r.samples().stream().map(LabelRecord.Sample::outputTokens).toList(),
                    r.samples().stream().map(s -> Optional.ofNullable(s.answer())).toList(), null);
            assertThat(expected.source()).isEqualTo(SampleFeatures.EntropySource.TOKEN);
            assertThat(r.features()).isEqualTo(expected.features().asMap());
            assertThat(r.features().get(Features.MEAN_OUTPUT_LENGTH)).isEqualTo(4.0);
            // levels 0 (the 1st draw), then samples 2..4: answers 1, 0, 1
            assertThat(r.agreed(2)).isPresent();
            assertThat(r.plurality().answer()).isEqualTo("1");
        }
        JsonNode line = LabelCommandIT.read(out).get(0);
        assertThat(line.get("samples").get(0).fieldNames()).toIterable()
                .containsExactly("text", "answer", "input_tokens", "output_tokens", "mean_entropy", "quality");
        assertThat(line.get("features").fieldNames()).toIterable().containsExactly("mean_entropy", "mean_output_length");
    }

    @Test
    void should_warn_once_and_label_without_logprobs_when_the_server_refuses_them() throws IOException {
        // given
        slm = FakeOpenAiServer.builder().responder(slm(new ConcurrentHashMap<>())).refuseLogprobs(true).build();
        Path out = dir.resolve("labels.jsonl");

        // when
        CliRun run = CliRun.of(args(out, "--concurrency", "3", "--no-progress"));

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Pattern.compile("refused log-probabilities").matcher(run.err()).results().count()).isEqualTo(1);
        assertThat(run.err()).contains("warning: the small model openai:small at " + slm.baseUrl()
                + " refused log-probabilities (HTTP 400").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).contains("labeled 4 queries", "0 failed");
        long refused = slm.requests().stream().filter(FakeChatRequest::logprobs).count();
        assertThat(refused).isBetween(1L, 3L); // only the first calls in flight asked
        assertThat(slm.answeredCount()).isEqualTo(20);
        List<LabelRecord> records = LabelFile.read(out);
        assertThat(records).hasSize(4).allSatisfy(r -> {
            assertThat(r.entropy()).isEqualTo(LabelRecord.ENTROPY_ANSWER);
            assertThat(r.samples()).hasSize(3).allSatisfy(s -> assertThat(s.meanEntropy()).isNull());
            assertThat(r.features().get(Features.MEAN_ENTROPY)).isEqualTo(SampleFeatures.answerEntropy(
                    r.samples().stream().map(s -> Optional.ofNullable(s.answer())).toList()));
        });
    }

    @Test
    void should_not_ask_for_logprobs_with_no_slm_logprobs_and_record_no_samples_with_samples_0() throws IOException {
        // given
        slm = FakeOpenAiServer.start(slm(new ConcurrentHashMap<>()));
        Path out = dir.resolve("labels.jsonl");

        // when
        CliRun run = CliRun.of(args(out, "--samples", "0", "--no-slm-logprobs", "--no-progress"));

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(slm.requestCount()).isEqualTo(8);
        assertThat(slm.requests()).allSatisfy(q -> assertThat(q.logprobs()).isFalse());
        JsonNode line = LabelCommandIT.read(out).get(0);
        assertThat(line.get("samples")).isEmpty();
        assertThat(line.get("features")).isEmpty();
        assertThat(line.get("entropy").isNull()).isTrue();
        assertThat(LabelFile.read(out)).allSatisfy(r -> {
            assertThat(r.hasSamples()).isFalse();
            assertThat(r.entropy()).isNull();
        });
    }

    @Test
    void should_record_all_ten_levels_with_all_levels() throws IOException {
        // given
        slm = FakeOpenAiServer.start(slm(new ConcurrentHashMap<>()));
        Path out = dir.resolve("labels.jsonl");

        // when
        CliRun run = CliRun.of(args(out, "--all-levels", "--limit", "2", "--no-progress"));

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<LabelRecord> records = LabelFile.read(out);
        assertThat(records).hasSize(2).allSatisfy(r -> {
            assertThat(r.allLevels()).isTrue();
            assertThat(r.levels()).extracting(LabelRecord.HintLevel::percent)
                    .containsExactlyElementsOf(LabelSettings.PAPER_LEVELS);
            assertThat(r.nStarPercent()).isEqualTo(10);
            assertThat(r.samples()).hasSize(3);
        });
        // 2 x (1 full answer + 9 hints) on the LLM; 2 x (10 levels + 3 samples) on the SLM
        assertThat(llm.requestCount()).isEqualTo(20);
        assertThat(slm.requestCount()).isEqualTo(26);
    }

    @Test
    void should_reject_a_negative_sample_count() {
        slm = FakeOpenAiServer.start(slm(new ConcurrentHashMap<>()));
        CliRun run = CliRun.of(args(dir.resolve("x.jsonl"), "--samples", "-1"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--samples", "must be >= 0 but was -1");
    }

    private String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("label", "--dataset", data.toString(), "--out", out.toString(),
                "--slm-provider", "openai", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big"));
        if (!List.of(extra).contains("--all-levels")) {
            a.add("--no-all-levels"); // these tests count the calls of labelling that stops at the first passing level
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }
}
