package dev.shepherd.benchmarks.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.StaticDistiller;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The static tier's full proactive decision through {@link OnnxHintPredictor}, one thread: tokenize (plain-Java
 * WordPiece) + pool the distilled MiniLM table + the cheap query features + the heads (Java forward pass over the
 * bundle's heads graph). {@code decision}: one GSM8K question per call (read p50/p99 from the sample-time
 * percentiles); {@code decisionThroughput}: decisions per second; {@code encode} and {@code queryFeatures}: the two
 * request-time parts that depend on the text, alone; {@code tokenizeJava} and {@code tokenizeDjl}: the plain-Java
 * WordPiece tokenizer against DJL's HuggingFace tokenizer (what {@link TextEncoder} uses) on the same
 * {@code tokenizer.json} — why the static tier has its own.
 *
 * <p>The bundle is built once into {@code ${java.io.tmpdir}/shepherd-bench-static-bundle}: MiniLM fp32 distilled
 * with the distiller's defaults (256 dimensions, SIF weights, int8; about a minute), heads trained as for
 * {@link OnnxPredictorBenchmark} (64 questions, default features). Run on one core:
 * {@code taskset -c 0 java -Dshepherd.shared=../shared -jar shepherd-benchmarks/target/benchmarks.jar
 * StaticEncoderBenchmark}.
 *
 * <p>{@link #main} is a plain-main companion (like {@link PredictorFootprint}): resident memory before and after
 * loading the bundle, wall-time percentiles of 20,000 single decisions and the thread's CPU time per decision, which
 * (unlike wall time) does not grow when other processes compete for the core:
 * {@code taskset -c 0 java -Xmx256m -Dshepherd.shared=../shared -cp shepherd-benchmarks/target/benchmarks.jar
 * dev.shepherd.benchmarks.onnx.StaticEncoderBenchmark}.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class StaticEncoderBenchmark {

    private OnnxHintPredictor predictor;
    private StaticEncoder encoder;
    private HuggingFaceTokenizer djl;
    private List<Query> queries;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        predictor = OnnxHintPredictor.load(bundle());
        encoder = (StaticEncoder) predictor.encoder();
        queries = BenchmarkPredictor.asQueries(BenchmarkPredictor.queries());
        djl = HuggingFaceTokenizer.builder().optTokenizerPath(encoder.tokenizer()).optPadding(false)
                .optAddSpecialTokens(true).optTruncation(true).optMaxLength(256).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        djl.close();
        predictor.close();
    }

    /** The static bundle, distilled and trained on first use. */
    static Path bundle() throws IOException {
        Path bundle = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-bench-static-bundle");
        if (Files.isRegularFile(bundle.resolve("heads.onnx"))) {
            return bundle;
        }
        Path encoderDir = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-bench-static-encoder");
        try (TextEncoder miniLm = TextEncoder.builder(BenchmarkPredictor.encoderFiles(false)).id("minilm")
                .normalize(true).maxLength(256).build();
             StaticEncoder fast = StaticEncoder.isStaticEncoderDirectory(encoderDir) ? StaticEncoder.load(encoderDir)
                     : StaticDistiller.builder(miniLm).build().distill(encoderDir)) {
            List<LabeledExample> examples = new ArrayList<>();
            List<String> qs = BenchmarkPredictor.queries();
            for (int i = 0; i < 64; i++) {
                examples.add(LabeledExample.of("b" + i, qs.get(i % qs.size()), i % 3 == 0 ? 20 + i : 0));
            }
            PredictorTrainer.builder(fast).maxEpochs(5).build().train(examples).export(bundle);
        }
        return bundle;
    }

    /** The footprint run; see the class comment. */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        Path bundle = bundle(); // built (once) before anything is measured
        List<Query> queries = BenchmarkPredictor.asQueries(BenchmarkPredictor.queries());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.gc();
        long before = rssKb();
        try (OnnxHintPredictor p = OnnxHintPredictor.load(bundle)) {
            long loaded = rssKb();
            for (int i = 0; i < 50_000; i++) { // let the JIT compile the whole path
                p.predict(queries.get(i % queries.size()), Features.none());
            }
            int n = 20_000;
            double[] us = new double[n];
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                p.predict(queries.get(i % queries.size()), Features.none());
                us[i] = (System.nanoTime() - t) / 1e3;
            }
            double cpuPer = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n;
            double wallPer = (System.nanoTime() - wall) / 1e3 / n;
            Arrays.sort(us);
            System.out.printf(Locale.ROOT, "static tier (%s), %d GSM8K questions, one thread, load average "
                            + "%.1f%n", ((StaticEncoder) p.encoder()).properties().get("id"), queries.size(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf(Locale.ROOT, "single decision: p50 %.1f us, p90 %.1f us, p99 %.1f us wall; "
                            + "%.1f us CPU/decision (%.0f decisions/s per core); %.0f decisions/s wall%n",
                    us[n / 2], us[n * 9 / 10], us[n * 99 / 100], cpuPer, 1e6 / cpuPer, 1e6 / wallPer);
            System.out.printf(Locale.ROOT, "RSS: %d MB before load, %d MB after load (bundle: %.1f MB on "
                            + "disk)%n", before / 1024, loaded / 1024, dirSize(bundle) / 1e6);
        }
        System.exit(0);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static long dirSize(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private Query nextQuery() {
        next = (next + 1) % queries.size();
        return queries.get(next);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public HintPrediction decision() {
        return predictor.predict(nextQuery(), Features.none());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public HintPrediction decisionThroughput() {
        return predictor.predict(nextQuery(), Features.none());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public EncodedText encode() {
        return encoder.encode(nextQuery().text());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Map<String, Double> queryFeatures() {
        return QueryFeatures.compute(nextQuery().text());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int tokenizeJava() {
        return encoder.tokenCount(nextQuery().text());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long[] tokenizeDjl() {
        return djl.encode(nextQuery().text()).getIds();
    }
}
