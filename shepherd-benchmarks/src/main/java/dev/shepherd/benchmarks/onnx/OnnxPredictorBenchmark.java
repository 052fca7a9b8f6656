package dev.shepherd.benchmarks.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.OnnxHintPredictor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hint predictor's decision against a bare baseline, side by side, on GSM8K test questions:
 * <ul>
 *   <li>{@code bareSingle} / {@code bareBatch32}: the same MiniLM ONNX model called through ONNX Runtime's own
 *       Java API with pre-tokenised input and no library code (session options as the library's: same intra-op
 *       threads, idle threads not spinning; the batch sorted by length and run in sub-batches of
 *       {@value #SUB_BATCH}, as the library does), output copied out;</li>
 *   <li>{@code decisionSingle} / {@code decisionBatch32}: the library's full proactive decision through
 *       {@link OnnxHintPredictor} (tokenize + encode + pool + query features + heads);</li>
 *   <li>{@code reactiveSingle}: the decision after K samples, with the reactive heads (mean entropy and mean
 *       output length as features).</li>
 * </ul>
 * Single: SampleTime, ms per decision with percentiles (p0.50, p0.99). Batch: Throughput, decisions/s
 * ({@code @OperationsPerInvocation(32)}). Every method runs for {@code quantized} = false (fp32) and true (int8).
 *
 * <p>Run on 2 cores, with the static tier's benchmark in the same package:
 * {@code java -Dshepherd.shared=../shared -jar shepherd-benchmarks/target/benchmarks.jar 'benchmarks\.onnx\.'};
 * CUDA: {@code bin/predictor-cuda-bench} ({@code -p device=gpu} on a {@code -P cuda} build).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx512m"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class OnnxPredictorBenchmark {

    /** Rows per model call, as {@code TextEncoder.SUB_BATCH}. */
    static final int SUB_BATCH = 8;
    private static final int BATCH = 32;

    @Param({"false", "true"})
    public boolean quantized;

    /** ONNX Runtime intra-op threads for the encoder (library and bare alike). */
    @Param({"2"})
    public int threads;

    /** {@code cpu}, or {@code gpu} (CUDA execution provider; needs the {@code -P cuda} build). */
    @Param({"cpu"})
    public String device;

    private OnnxHintPredictor predictor;
    private List<Query> queries;
    private List<Features> none;
    private List<Features> reactive;
    private int next;

    private OrtEnvironment env;
    private OrtSession bare;
    private Set<String> bareInputs;
    private long[][] tokenIds;
    /** Per batch start: the sub-batches (ids, mask, types, shape) of the 32 queries from there. */
    private final Map<Integer, List<long[][]>> bareBatches = new HashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        predictor = BenchmarkPredictor.load(quantized, threads, true, device);
        List<String> texts = BenchmarkPredictor.queries();
        queries = BenchmarkPredictor.asQueries(texts);
        none = BenchmarkPredictor.none(BATCH);
        reactive = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            reactive.add(BenchmarkPredictor.reactive(i));
        }
        setUpBare(texts);
    }

    /** The bare baseline: ONNX Runtime's API only; tokenised here, outside the measurement. */
    private void setUpBare(List<String> texts) throws Exception {
        EncoderFiles files = BenchmarkPredictor.encoderFiles(quantized);
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(files.tokenizer())
                .optPadding(false).optAddSpecialTokens(true).optTruncation(true).optMaxLength(256).build()) {
            tokenIds = new long[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                tokenIds[i] = tokenizer.encode(texts.get(i)).getIds();
            }
        }
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setInterOpNumThreads(1);
            so.setIntraOpNumThreads(threads);
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            if (BenchmarkPredictor.gpu(device)) {
                so.addCUDA(0);
            }
            bare = env.createSession(files.model().toString(), so);
        }
        bareInputs = bare.getInputInfo().keySet();
        for (int start = 0; start + BATCH <= texts.size(); start += BATCH) {
            Integer[] order = new Integer[BATCH];
            for (int k = 0; k < BATCH; k++) {
                order[k] = start + k;
            }
            Arrays.sort(order, Comparator.comparingInt(k -> tokenIds[k].length));
            List<long[][]> subs = new ArrayList<>();
            for (int from = 0; from < BATCH; from += SUB_BATCH) {
                int width = tokenIds[order[from + SUB_BATCH - 1]].length;
                long[] ids = new long[SUB_BATCH * width];
                long[] mask = new long[SUB_BATCH * width];
                for (int r = 0; r < SUB_BATCH; r++) {
                    long[] row = tokenIds[order[from + r]];
                    System.arraycopy(row, 0, ids, r * width, row.length);
                    Arrays.fill(mask, r * width, r * width + row.length, 1L);
                }
                subs.add(new long[][] {ids, mask, new long[SUB_BATCH * width], {SUB_BATCH, width}});
            }
            bareBatches.put(start, subs);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        predictor.close();
        bare.close();
    }

    private float[] bareRun(long[] ids, long[] mask, long[] types, long[] shape) throws Exception {
        Map<String, OnnxTensor> in = new HashMap<>(4);
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            if (bareInputs.contains("attention_mask")) {
                in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            }
            if (bareInputs.contains("token_type_ids")) {
                in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result r = bare.run(in)) {
                FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] copy = new float[out.remaining()];
                out.get(copy);
                return copy;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[] bareSingle() throws Exception {
        next = (next + 1) % tokenIds.length;
        long[] ids = tokenIds[next];
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        return bareRun(ids, mask, new long[ids.length], new long[] {1, ids.length});
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float[] bareBatch32() throws Exception {
        next = (next + BATCH) % (bareBatches.size() * BATCH);
        float[] last = null;
        for (long[][] s : bareBatches.get(next)) {
            last = bareRun(s[0], s[1], s[2], s[3]);
        }
        return last;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public HintPrediction decisionSingle() {
        next = (next + 1) % queries.size();
        return predictor.predict(queries.get(next), Features.none());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public List<HintPrediction> decisionBatch32() {
        next = (next + BATCH) % (bareBatches.size() * BATCH);
        return predictor.predictAll(queries.subList(next, next + BATCH), none);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public HintPrediction reactiveSingle() {
        next = (next + 1) % queries.size();
        return predictor.predict(queries.get(next), reactive.get(next));
    }
}
