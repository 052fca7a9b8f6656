package dev.shepherd.benchmarks.onnx;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The library's decision against the bare ONNX Runtime baseline, <em>interleaved</em>: one bare call and one library
 * decision per step, in alternating order, timed with {@link System#nanoTime()}. JMH runs the two benchmark methods
 * minutes apart, and on a shared virtual machine their p50s drift by more than the overhead being measured (two
 * quiet runs here gave the bare int8 call p50 6.0 and 4.6 ms); interleaving puts both under the same load, so their
 * ratio holds even when the absolute figures do not. Uses {@link OnnxPredictorBenchmark}'s own setup and methods, so
 * both sides are exactly what JMH measures.
 *
 * <p>Run: {@code java -Dshepherd.shared=../shared -cp shepherd-benchmarks/target/benchmarks.jar
 * dev.shepherd.benchmarks.onnx.PredictorOverhead [steps] [threads]} (default 3000 steps, 2 intra-op threads); prints,
 * for int8 and fp32, p50 / p90 / p99 of each side and the library / bare ratios.
 */
public final class PredictorOverhead {

    private static final int WARM_UP = 300;

    private PredictorOverhead() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.println(String.format(Locale.ROOT, "%s; %d interleaved steps after %d warm-up, %d intra-op threads, "
                + "load average %.2f", BenchmarkPredictor.querySource(), steps, WARM_UP, threads, loadAverage()));
        for (boolean quantized : new boolean[] {true, false}) {
            measure(quantized, steps, threads);
        }
    }

    private static void measure(boolean quantized, int steps, int threads) throws Exception {
        OnnxPredictorBenchmark b = new OnnxPredictorBenchmark();
        b.quantized = quantized;
        b.threads = threads;
        b.device = "cpu";
        b.setUp();
        try {
            for (int i = 0; i < WARM_UP; i++) {
                b.bareSingle();
                b.decisionSingle();
            }
            long[] bare = new long[steps];
            long[] lib = new long[steps];
            for (int i = 0; i < steps; i++) {
                if (i % 2 == 0) {
                    bare[i] = timeBare(b);
                    lib[i] = timeLibrary(b);
                } else {
                    lib[i] = timeLibrary(b);
                    bare[i] = timeBare(b);
                }
            }
            Arrays.sort(bare);
            Arrays.sort(lib);
            System.out.println(String.format(Locale.ROOT, "%s  bare ONNX Runtime  p50 %5.2f  p90 %5.2f  p99 %5.2f ms",
                    BenchmarkPredictor.label(quantized), ms(bare, 50), ms(bare, 90), ms(bare, 99)));
            System.out.println(String.format(Locale.ROOT, "%s  library decision   p50 %5.2f  p90 %5.2f  p99 %5.2f ms"
                            + "   (library / bare: p50 %.3f, p99 %.3f)", BenchmarkPredictor.label(quantized), ms(lib, 50),
                    ms(lib, 90), ms(lib, 99), ms(lib, 50) / ms(bare, 50), ms(lib, 99) / ms(bare, 99)));
        } finally {
            b.tearDown();
        }
    }

    private static long timeBare(OnnxPredictorBenchmark b) throws Exception {
        long t0 = System.nanoTime();
        b.bareSingle();
        return System.nanoTime() - t0;
    }

    private static long timeLibrary(OnnxPredictorBenchmark b) {
        long t0 = System.nanoTime();
        b.decisionSingle();
        return System.nanoTime() - t0;
    }

    private static double ms(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
