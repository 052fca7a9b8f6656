package dev.shepherd.benchmarks.onnx;

import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.llamacpp.LlamaCppChatModel;
import dev.shepherd.onnx.OnnxHintPredictor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A plain-main companion to {@link OnnxPredictorBenchmark}: resident memory (VmRSS from {@code /proc/self/status})
 * before and after loading a predictor bundle (encoder + query-only and reactive heads) and running it;
 * single-decision latency percentiles; CPU per decision (process CPU time, i.e. every ONNX Runtime thread, and the
 * calling thread's own CPU time) against wall time; batch-of-32 throughput; and the reactive decision (after K
 * samples) against the latency of K = 3 samples from the in-process llama.cpp model
 * ({@code ${shepherd.shared}/models/stories260K.gguf}, when present).
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.shepherd.benchmarks.onnx.PredictorFootprint prepare [quantized]}
 * once (trains and exports the bundle in its own JVM, so its memory does not count), then
 * {@code java -Xmx128m -Dshepherd.shared=../shared -cp benchmarks.jar
 * dev.shepherd.benchmarks.onnx.PredictorFootprint measure [quantized] [arena] [threads] [cpu|gpu]}.
 */
public final class PredictorFootprint {

    private static final int K = 3;
    private static final int SAMPLE_TOKENS = 128;

    private PredictorFootprint() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "measure";
        boolean quantized = args.length > 1 && Boolean.parseBoolean(args[1]);
        boolean arena = args.length <= 2 || Boolean.parseBoolean(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        String device = args.length > 4 ? args[4] : "cpu";
        if (mode.equals("prepare")) {
            System.out.println("bundle: " + BenchmarkPredictor.bundle(quantized));
            System.exit(0);
        }
        List<String> texts = BenchmarkPredictor.queries();
        List<Query> queries = BenchmarkPredictor.asQueries(texts);
        List<Features> none = BenchmarkPredictor.none(32);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        System.gc();
        long before = rssKb();
        try (OnnxHintPredictor p = BenchmarkPredictor.load(quantized, threads, arena, device)) {
            long loaded = rssKb();
            for (int i = 0; i < 200; i++) {
                p.predict(queries.get(i % queries.size()), Features.none());
            }
            double[] ms = new double[500];
            long cpu = os.getProcessCpuTime();
            long own = threadBean.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                p.predict(queries.get(i % queries.size()), Features.none());
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            double wallSingle = (System.nanoTime() - start) / 1e6 / ms.length;
            double cpuSingle = (os.getProcessCpuTime() - cpu) / 1e6 / ms.length;
            double ownSingle = (threadBean.getCurrentThreadCpuTime() - own) / 1e6 / ms.length;
            Arrays.sort(ms);

            double[] reactiveMs = new double[300];
            for (int i = 0; i < 100 + reactiveMs.length; i++) {
                long t = System.nanoTime();
                p.predict(queries.get(i % queries.size()), BenchmarkPredictor.reactive(i));
                if (i >= 100) {
                    reactiveMs[i - 100] = (System.nanoTime() - t) / 1e6;
                }
            }
            Arrays.sort(reactiveMs);

            int batches = 40;
            for (int b = 0; b < 5; b++) {
                p.predictAll(queries.subList(b * 32, b * 32 + 32), none);
            }
            cpu = os.getProcessCpuTime();
            long t = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                int from = (b * 32) % (queries.size() - 32);
                p.predictAll(queries.subList(from, from + 32), none);
            }
            double batchWall = (System.nanoTime() - t) / 1e6 / (batches * 32);
            double cpuBatch = (os.getProcessCpuTime() - cpu) / 1e6 / (batches * 32);
            System.gc();
            long after = rssKb();
            System.out.printf(Locale.ROOT, "%s on %s, ONNX Runtime arena %s, %d intra-op threads, %d %s, load average %.2f%n",
                    BenchmarkPredictor.label(quantized), device, arena ? "on" : "off", threads, queries.size(),
                    BenchmarkPredictor.querySource(), os.getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "single decision: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, mean %.2f ms wall; "
                            + "CPU %.2f ms/decision (%.2f x wall; calling thread %.2f ms)%n",
                    ms[ms.length / 2], ms[ms.length * 9 / 10], ms[ms.length * 99 / 100], wallSingle, cpuSingle,
                    cpuSingle / wallSingle, ownSingle);
            System.out.printf(Locale.ROOT, "batch of 32: %.0f decisions/s wall; CPU %.2f ms/decision (%.2f x wall)%n",
                    1000 / batchWall, cpuBatch, cpuBatch / batchWall);
            System.out.printf(Locale.ROOT, "RSS: %d MB before load, %d MB after load, %d MB after %d decisions "
                            + "(predictor + encoder ≈ %d MB); heap max %d MB%n", before / 1024, loaded / 1024,
                    after / 1024, 200 + ms.length + 100 + reactiveMs.length + (batches + 5) * 32,
                    (after - before) / 1024, Runtime.getRuntime().maxMemory() / (1024 * 1024));
            double reactiveP50 = reactiveMs[reactiveMs.length / 2];
            System.out.printf(Locale.ROOT, "reactive decision (after K samples, entropy + length features): p50 %.2f ms, "
                    + "p99 %.2f ms%n", reactiveP50, reactiveMs[reactiveMs.length * 99 / 100]);
            reactiveShare(texts, reactiveP50);
        }
        System.exit(0);
    }

    /** The reactive decision's share of the K samples' latency, with the in-process llama.cpp model. */
    private static void reactiveShare(List<String> texts, double decisionMs) {
        Path gguf = Path.of(System.getProperty("shepherd.shared", "../shared"), "models", "stories260K.gguf");
        if (!Files.isRegularFile(gguf)) {
            System.out.println("reactive share: skipped (no " + gguf + ")");
            return;
        }
        try (LlamaCppChatModel slm = LlamaCppChatModel.builder().modelPath(gguf).threads(2).seed(42)
                .temperature(0.3).maxOutputTokens(SAMPLE_TOKENS).build()) {
            double[] rounds = new double[10];
            long tokens = 0;
            for (int i = 0; i < 2 + rounds.length; i++) {
                long t = System.nanoTime();
                for (int k = 0; k < K; k++) {
                    ChatResponse r = slm.chat(ChatRequest.builder().messages(UserMessage.from(texts.get(i))).build());
                    if (i >= 2) {
                        tokens += r.tokenUsage().outputTokenCount();
                    }
                }
                if (i >= 2) {
                    rounds[i - 2] = (System.nanoTime() - t) / 1e6;
                }
            }
            Arrays.sort(rounds);
            double samples = rounds[rounds.length / 2];
            System.out.printf(Locale.ROOT, "reactive share: K = %d samples from stories260K.gguf (llama.cpp in-process, "
                            + "≤ %d tokens, %.0f tokens/sample on average) take %.1f ms (median); the decision adds %.2f %%%n",
                    K, SAMPLE_TOKENS, tokens / (double) (rounds.length * K), samples, 100 * decisionMs / samples);
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
