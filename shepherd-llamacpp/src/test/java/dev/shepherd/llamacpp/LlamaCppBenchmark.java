package dev.shepherd.llamacpp;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark command: load time, greedy generation speed and per-call latency of
 * {@link LlamaCppChatModel} on a GGUF file. Not a test; run it from the test classpath (see the
 * module README). Arguments: {@code [gguf] [threads] [runs]}; defaults: the shared stories260K,
 * 2 threads, 20 runs. Ends with {@code System.exit} because de.kherud:llama leaves a non-daemon
 * native thread behind.
 */
public final class LlamaCppBenchmark {

    private LlamaCppBenchmark() {}

    /** Runs the benchmark and prints one line per measure. */
    public static void main(String[] args) {
        Path gguf = Path.of(args.length > 0 ? args[0]
                : System.getProperty("shepherd.shared", "../shared") + "/models/stories260K.gguf");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        long loadStart = System.nanoTime();
        try (LlamaCppChatModel model = LlamaCppChatModel.builder().modelPath(gguf).threads(threads)
                .contextSize(1024).temperature(0).build()) {
            double loadMs = (System.nanoTime() - loadStart) / 1e6;
            System.out.printf(Locale.ROOT, "model %s, threads %d, runs %d, load %.1f ms%n",
                    gguf.getFileName(), threads, runs, loadMs);
            for (int cap : new int[] {16, 128, 512}) {
                measure(model, cap, runs);
            }
        }
        System.exit(0);
    }

    private static void measure(LlamaCppChatModel model, int cap, int runs) {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Tell me a story.")).maxOutputTokens(cap).build();
        for (int i = 0; i < 3; i++) {
            model.chat(request);
        }
        double[] millis = new double[runs];
        double[] tokensPerSecond = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            ChatResponse response = model.chat(request);
            millis[i] = (System.nanoTime() - start) / 1e6;
            tokensPerSecond[i] = response.tokenUsage().outputTokenCount() / (millis[i] / 1000);
        }
        Arrays.sort(millis);
        Arrays.sort(tokensPerSecond);
        System.out.printf(Locale.ROOT,
                "cap %4d tokens: call p50 %7.1f ms, p90 %7.1f ms; output %6.0f tokens/s (p50, prompt processing included)%n",
                cap, percentile(millis, 0.5), percentile(millis, 0.9), percentile(tokensPerSecond, 0.5));
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
