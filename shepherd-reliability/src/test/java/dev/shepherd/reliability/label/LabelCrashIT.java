package dev.shepherd.reliability.label;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.langchain4j.testing.FakeChatRequest;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import dev.shepherd.langchain4j.testing.Responder;
import dev.shepherd.reliability.support.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@code shepherd label}: the real command runs in its own JVM against fake servers and is
 * killed with SIGKILL at random moments (several seeds); rerunning the same command resumes. The final JSONL
 * must equal an uninterrupted run's: the same ids, no duplicates, no torn lines, the same records.
 */
class LabelCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUM = Pattern.compile("What is (\\d+) \\+ (\\d+)\\?");
    private static final int QUERIES = 16;
    private static final long[] SEEDS = {1, 2, 3};
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

    /** The LLM reasons in 20 words, then gives the right sum: deterministic, so records are comparable. */
    static final Responder LLM = request -> "one two three four five six seven eight nine ten eleven twelve "
            + "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty #### " + sum(request);
    /** The SLM is right only with a hint. */
    static final Responder SLM = request -> request.lastUserMessage().contains("\nHint: ")
            ? "with the hint it is #### " + sum(request) : "I guess #### 0";

    @TempDir
    Path dir;

    FakeOpenAiServer llm;
    FakeOllamaServer slm;
    Path data;

    @BeforeEach
    void start() throws IOException {
        llm = FakeOpenAiServer.builder().responder(LLM).recordRequests(false).build();
        slm = FakeOllamaServer.builder().responder(SLM).recordRequests(false).build();
        // every call takes a little while, so a kill lands in the middle of the run rather than after it
        llm.fault(Fault.delay(Duration.ofMillis(40)));
        slm.fault(Fault.delay(Duration.ofMillis(40)));
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= QUERIES; i++) {
            lines.add("{\"id\":\"q" + i + "\",\"query\":\"What is " + i + " + " + (7 * i) + "?\",\"gold\":\"" + (8 * i) + "\"}");
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
    void should_end_with_the_uninterrupted_runs_records_after_random_kills_and_resumes() throws Exception {
        // given: an uninterrupted run, timed
        Path reference = dir.resolve("reference.jsonl");
        ChildJvm ref = label(reference);
        waitForFirstRecord(reference, ref);
        long t0 = System.nanoTime();
        assertThat(ref.waitFor(RUN_LIMIT)).as(ref.err()).isZero();
        long labelingMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, JsonNode> expected = records(reference);
        assertThat(expected).hasSize(QUERIES);

        for (long seed : SEEDS) {
            Random random = new Random(seed);
            Path out = dir.resolve("labels-" + seed + ".jsonl");
            int kills = 0;
            // when: two runs killed at random moments, then one allowed to finish
            for (int attempt = 0; attempt < 2; attempt++) {
                ChildJvm run = label(out);
                // kill while records are being written: after the first new one, at a random moment
                waitForFirstRecord(out, run);
                long at = (long) (random.nextDouble() * 0.5 * labelingMillis);
                if (!run.process().waitFor(at, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    run.kill();
                    kills++;
                }
                assertThat(lines(out)).as("seed %d: no duplicate ids even mid-way", seed)
                        .doesNotHaveDuplicates();
            }
            ChildJvm last = label(out);
            int code = last.waitFor(RUN_LIMIT);
            // then
            assertThat(code).as("seed %d: %s", seed, last.err()).isZero();
            assertThat(kills).as("seed %d: the kills landed mid-run", seed).isPositive();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(text).as("seed %d: no torn last line", seed).endsWith("\n");
            List<String> ids = lines(out);
            assertThat(ids).as("seed %d", seed).hasSize(QUERIES).doesNotHaveDuplicates();
            assertThat(records(out)).as("seed %d: same records as the uninterrupted run", seed).isEqualTo(expected);
        }
    }

    private ChildJvm label(Path out) {
        return ChildJvm.start(dir, Map.of(), "dev.shepherd.cli.ShepherdCli", List.of("label",
                "--dataset", data.toString(), "--out", out.toString(), "--no-progress", "--concurrency", "2",
                "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big"));
    }

    /** Waits until the file has grown by a line (or the run ended), so a kill lands mid-labeling. */
    private static void waitForFirstRecord(Path out, ChildJvm run) throws Exception {
        long before = lines(out).size();
        long end = System.nanoTime() + RUN_LIMIT.toNanos();
        while (run.process().isAlive() && lines(out).size() == before && System.nanoTime() < end) {
            Thread.sleep(5);
        }
    }

    /** The id of every line; fails on a line that is not a whole JSON record (a torn line in the middle). */
    private static List<String> lines(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.exists(file)) {
            return ids;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean lastTorn = i == parts.length - 1; // after the final newline: empty, or a torn tail from a kill
            if (parts[i].isEmpty() || lastTorn) {
                continue;
            }
            ids.add(JSON.readTree(parts[i]).get("id").asText());
        }
        return ids;
    }

    private static Map<String, JsonNode> records(Path file) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            assertThat(out.put(n.get("id").asText(), n)).as("duplicate " + n.get("id")).isNull();
        }
        return out;
    }

    static int sum(FakeChatRequest request) {
        Matcher m = SUM.matcher(request.lastUserMessage());
        return m.find() ? Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) : -1;
    }
}
