package dev.shepherd.benchmarks.onnx;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.OnnxHintPredictor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full proactive decision through {@link OnnxHintPredictor}: tokenize + encode (MiniLM via ONNX
 * Runtime) + heads (ONNX Runtime). {@code single}: one GSM8K question per call (read p50 from the
 * sample-time percentiles); {@code batch32}: 32 questions per call (queries/s = ops/s × 32).
 *
 * <p>Run on 2 cores: {@code taskset -c 0,1 java -Dshepherd.shared=../shared -jar
 * shepherd-benchmarks/target/benchmarks.jar OnnxPredictorBenchmark}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class OnnxPredictorBenchmark {

    @Param({"false", "true"})
    public boolean quantized;

    private OnnxHintPredictor predictor;
    private List<Query> queries;
    private List<Features> none;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        predictor = BenchmarkPredictor.load(quantized, 2, true);
        queries = BenchmarkPredictor.asQueries(BenchmarkPredictor.queries());
        none = BenchmarkPredictor.none(32);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        predictor.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public HintPrediction single() {
        next = (next + 1) % queries.size();
        return predictor.predict(queries.get(next), Features.none());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<HintPrediction> batch32() {
        next = (next + 32) % (queries.size() - 32);
        return predictor.predictAll(queries.subList(next, next + 32), none);
    }
}
