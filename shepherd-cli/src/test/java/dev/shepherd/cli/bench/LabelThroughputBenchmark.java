package dev.shepherd.cli.bench;

import dev.shepherd.cli.CliRun;
import dev.shepherd.langchain4j.testing.Fault;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (a command, not a test): does {@code shepherd label} keep its configured concurrency busy? Runs the
 * real command against the local fake OpenAI (LLM) and Ollama (SLM) servers with an injected per-request latency and
 * prints achieved model calls per second against the ideal {@code concurrency / latency}.
 * <pre>
 * mvn -B -o -q -pl shepherd-cli test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * java -cp shepherd-cli/target/test-classes:shepherd-cli/target/classes:$(cat shepherd-cli/target/test.cp) \
 *      dev.shepherd.cli.bench.LabelThroughputBenchmark [latencyMs] [queries] [concurrency...]
 * </pre>
 */
public final class LabelThroughputBenchmark {

    private static final Pattern CALLS = Pattern.compile("(\\d+) model calls \\(([\\d.]+) calls/s");

    private LabelThroughputBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args latency in ms (default 100), queries (default 64), concurrency levels (default 1 4 16)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int latencyMs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        List<Integer> levels = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            levels.add(Integer.parseInt(args[i]));
        }
        if (levels.isEmpty()) {
            levels = List.of(1, 4, 16);
        }
        Path dir = Files.createTempDirectory("shepherd-bench-");
        Path data = dir.resolve("sums.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= queries; i++) {
            lines.add("{\"id\":\"q" + i + "\",\"query\":\"What is " + i + " + 1?\",\"gold\":\"" + (i + 1) + "\"}");
        }
        Files.write(data, lines);
        String largeAnswer = "a b c d e f g h i j k l m n o p q r s t #### ";
        try (FakeOpenAiServer llm = FakeOpenAiServer.builder().threads(64)
                .responder(r -> largeAnswer + answer(r.lastUserMessage())).build();
             FakeOllamaServer slm = FakeOllamaServer.builder().threads(64)
                .responder(r -> r.lastUserMessage().contains("\nHint: ") ? "#### " + answer(r.lastUserMessage()) : "#### 0")
                .build()) {
            llm.fault(Fault.delay(Duration.ofMillis(latencyMs)));
            slm.fault(Fault.delay(Duration.ofMillis(latencyMs)));
            System.out.printf(Locale.ROOT, "label throughput: %d queries (4 sequential calls each), %d ms injected "
                    + "latency per call, %d cores%n", queries, latencyMs, Runtime.getRuntime().availableProcessors());
            System.out.println("concurrency  calls  seconds  calls/s  ideal calls/s  utilisation");
            List<Integer> runs = new ArrayList<>();
            runs.add(-4); // a discarded warm-up run (class loading, JIT, connection pools)
            runs.addAll(levels);
            for (int level : runs) {
                int c = Math.abs(level);
                Path out = dir.resolve("labels-" + level + ".jsonl");
                long start = System.nanoTime();
                CliRun run = CliRun.of("label", "--dataset", data.toString(), "--out", out.toString(), "--no-progress",
                        "--concurrency", String.valueOf(c),
                        "--slm-provider", "ollama", "--slm-base-url", slm.baseUrl(), "--slm-model", "small",
                        "--llm-provider", "openai", "--llm-base-url", llm.baseUrl(), "--llm-model", "big");
                double seconds = (System.nanoTime() - start) / 1e9;
                Matcher m = CALLS.matcher(run.out());
                if (run.exitCode() != 0 || !m.find()) {
                    throw new IllegalStateException("label failed: " + run.err() + run.out());
                }
                long calls = Long.parseLong(m.group(1));
                double rate = Double.parseDouble(m.group(2));
                double ideal = c * 1000.0 / latencyMs;
                if (level < 0) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "%11d  %5d  %7.2f  %7.1f  %13.1f  %10.0f %%%n", c, calls, seconds, rate,
                        ideal, 100 * rate / ideal);
            }
        }
    }

    private static int answer(String prompt) {
        Matcher m = Pattern.compile("What is (\\d+) \\+ 1\\?").matcher(prompt);
        return m.find() ? Integer.parseInt(m.group(1)) + 1 : -1;
    }
}
