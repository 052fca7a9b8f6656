package dev.shepherd.benchmarks.onnx;

import com.sun.management.OperatingSystemMXBean;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.onnx.OnnxHintPredictor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A plain-main companion to {@link OnnxPredictorBenchmark}: resident memory (VmRSS from
 * {@code /proc/self/status}) before and after loading a predictor bundle (encoder + heads) and running
 * it; single-query latency percentiles; batch-of-32 throughput; and process CPU time per query, which
 * (unlike wall time) does not grow when other processes compete for the cores.
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.shepherd.benchmarks.onnx.PredictorFootprint prepare [quantized]}
 * once (trains and exports the bundle in its own JVM, so its memory does not count), then
 * {@code taskset -c 0,1 java -Xmx128m -Dshepherd.shared=../shared -cp benchmarks.jar
 * dev.shepherd.benchmarks.onnx.PredictorFootprint measure [quantized] [arena] [threads]}.
 */
public final class PredictorFootprint {

    private PredictorFootprint() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "measure";
        boolean quantized = args.length > 1 && Boolean.parseBoolean(args[1]);
        boolean arena = args.length <= 2 || Boolean.parseBoolean(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        if (mode.equals("prepare")) {
            System.out.println("bundle: " + BenchmarkPredictor.bundle(quantized));
            System.exit(0);
        }
        List<Query> queries = BenchmarkPredictor.asQueries(BenchmarkPredictor.queries());
        List<Features> none = BenchmarkPredictor.none(32);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long before = rssKb();
        try (OnnxHintPredictor p = BenchmarkPredictor.load(quantized, threads, arena)) {
            long loaded = rssKb();
            for (int i = 0; i < 100; i++) {
                p.predict(queries.get(i % queries.size()), Features.none());
            }
            double[] ms = new double[300];
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < ms.length; i++) {
                long t = System.nanoTime();
                p.predict(queries.get(i % queries.size()), Features.none());
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            double cpuSingle = (os.getProcessCpuTime() - cpu) / 1e6 / ms.length;
            Arrays.sort(ms);
            int batches = 20;
            cpu = os.getProcessCpuTime();
            long t = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                int from = (b * 32) % (queries.size() - 32);
                p.predictAll(queries.subList(from, from + 32), none);
            }
            double qps = batches * 32 / ((System.nanoTime() - t) / 1e9);
            double cpuBatch = (os.getProcessCpuTime() - cpu) / 1e6 / (batches * 32);
            System.gc();
            long after = rssKb();
            System.out.printf(Locale.ROOT, "%s, ONNX Runtime arena %s, %d intra-op threads, %d GSM8K questions, load average %.1f%n",
                    quantized ? "MiniLM int8" : "MiniLM fp32", arena ? "on" : "off", threads, queries.size(),
                    os.getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "single query: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms wall; %.2f ms CPU/query%n",
                    ms[ms.length / 2], ms[ms.length * 9 / 10], ms[ms.length * 99 / 100], cpuSingle);
            System.out.printf(Locale.ROOT, "batch of 32: %.0f queries/s wall; %.2f ms CPU/query (2 cores: ≈ %.0f queries/s "
                    + "when uncontended)%n", qps, cpuBatch, 2000 / cpuBatch);
            System.out.printf(Locale.ROOT, "RSS: %d MB before load, %d MB after load, %d MB after 720 queries "
                    + "(predictor + encoder ≈ %d MB); heap max %d MB%n", before / 1024, loaded / 1024, after / 1024,
                    (after - before) / 1024, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
        System.exit(0);
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
