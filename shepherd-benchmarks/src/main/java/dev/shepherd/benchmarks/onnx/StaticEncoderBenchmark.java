package dev.shepherd.benchmarks.onnx;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.LabeledExample;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.PredictorTrainer;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.training.StaticDistiller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * request-time parts that depend on the text, alone.
 *
 * <p>The bundle is built once into {@code ${java.io.tmpdir}/shepherd-bench-static-bundle}: MiniLM fp32 distilled
 * with the distiller's defaults (256 dimensions, SIF weights, int8; about a minute), heads trained as for
 * {@link OnnxPredictorBenchmark} (64 questions, default features). Run on one core:
 * {@code taskset -c 0 java -Dshepherd.shared=../shared -jar shepherd-benchmarks/target/benchmarks.jar
 * StaticEncoderBenchmark}.
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class StaticEncoderBenchmark {

    private OnnxHintPredictor predictor;
    private StaticEncoder encoder;
    private List<Query> queries;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        predictor = OnnxHintPredictor.load(bundle());
        encoder = (StaticEncoder) predictor.encoder();
        queries = BenchmarkPredictor.asQueries(BenchmarkPredictor.queries());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
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
}
