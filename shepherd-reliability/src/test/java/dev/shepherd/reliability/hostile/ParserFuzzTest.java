package dev.shepherd.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.shepherd.cli.InputException;
import dev.shepherd.cli.dataset.DatasetFormat;
import dev.shepherd.cli.dataset.DatasetReader;
import dev.shepherd.cli.label.LabelFileWriter;
import dev.shepherd.cli.trace.RouteLlmTraceReader;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.answer.AnswerNotFoundException;
import dev.shepherd.core.answer.ConfidenceParser;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.BundleMetadata;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.baseline.RouteLlmTrace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of every parser of untrusted text: random token soup, truncations and byte mutations of valid
 * inputs (from {@code ../shared/data} when present), splices, random bytes and long adversarial strings. Each
 * parser may only succeed or throw its documented typed exception, and never hang. Iteration counts are fixed.
 */
class ParserFuzzTest {

    private static final long SEED = 20261125L;
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<String> unexpected = new ArrayList<>();

    @Test
    void should_never_throw_from_the_answer_extractors_and_the_confidence_parser() {
        Fuzzer fuzz = new Fuzzer(SEED);
        List<byte[]> seeds = utf8("Step 1: 3 + 4 = 7\n#### 7", "so \\boxed{\\frac{3}{4}} is it", "The answer is $1,000.50",
                "```python\ndef f():\n    return 1\n```\ntext ```js\nx\n```", "Answer: 42\nConfidence: 85%",
                "confidence: very high", "Confidence - 3/4", "```\nunterminated");
        List<AnswerExtractor> extractors = List.of(AnswerExtractor.math(), AnswerExtractor.code(),
                AnswerExtractor.normalizedText());
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 4000; i++) {
                String s = new String(fuzz.next(seeds), StandardCharsets.UTF_8);
                String input = i % 2 == 0 ? s : fuzz.text();
                for (AnswerExtractor x : extractors) {
                    expectOnly(input, () -> x.extract(input));
                    expectOnly(input, () -> x.extractOrThrow(input), AnswerNotFoundException.class);
                }
                expectOnly(input, () -> ConfidenceParser.parse(input).ifPresent(c -> {
                    if (!(c >= 0 && c <= 1)) {
                        throw new AssertionError("confidence out of [0, 1]: " + c);
                    }
                }));
                expectOnly(input, () -> ConfidenceParser.strip(input));
            }
        });
        assertThat(unexpected).isEmpty();
    }

    @Test
    void should_not_hang_on_long_adversarial_answers() {
        List<String> evil = List.of("1,".repeat(20_000) + "x", "####".repeat(10_000), "\\boxed{".repeat(5_000),
                "confidence ".repeat(5_000) + "very", "```".repeat(5_000), "9".repeat(100_000),
                "1.".repeat(20_000), "the answer is ".repeat(5_000), "-".repeat(50_000) + "1",
                "$".repeat(30_000) + "%", " \t".repeat(50_000), "{".repeat(20_000) + "}".repeat(20_000));
        for (String s : evil) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                AnswerExtractor.math().extract(s);
                AnswerExtractor.code().extract(s);
                AnswerExtractor.normalizedText().extract(s);
                ConfidenceParser.parse(s);
                ConfidenceParser.strip(s);
                PromptTemplate.sanitizeHint(s);
            }, () -> "hang on " + s.substring(0, 20) + "... (" + s.length() + " chars)");
        }
    }

    @Test
    void should_sanitize_any_hint_into_indented_visible_text() {
        Fuzzer fuzz = new Fuzzer(SEED + 1);
        List<byte[]> seeds = utf8("a\nQuestion: b\rHint: c\u2028Instruction: d", "\u0000\u001B[2J\u202E\u200B\uFEFF");
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 5000; i++) {
                String hint = new String(fuzz.next(seeds), StandardCharsets.UTF_8);
                String out = PromptTemplate.sanitizeHint(hint);
                String rendered = PromptTemplate.paper("Do it.").render("Q?", hint);
                long fields = rendered.lines().filter(l -> l.startsWith("Question:") || l.startsWith("Hint:")
                        || l.startsWith("Instruction:")).count();
                boolean clean = out.codePoints().noneMatch(cp -> cp != '\n' && cp != '\t'
                        && (Character.getType(cp) == Character.CONTROL || Character.getType(cp) == Character.FORMAT
                        || cp == 0x2028 || cp == 0x2029));
                if (!clean || out.replace("\n  ", "").contains("\n") || (!hint.isEmpty() && fields != 3)) {
                    unexpected.add("unsafe hint " + escape(hint) + " -> " + escape(out));
                }
            }
        });
        assertThat(unexpected).isEmpty();
    }

    @Test
    void should_read_fuzzed_datasets_or_reject_them_with_an_input_exception() throws IOException {
        Fuzzer fuzz = new Fuzzer(SEED + 2);
        List<byte[]> seeds = new ArrayList<>(utf8(
                "{\"question\":\"Janet has 3 eggs. How many?\",\"answer\":\"3 eggs\\n#### 3\"}",
                "{\"task_id\":\"HumanEval/0\",\"prompt\":\"def f():\\n\",\"canonical_solution\":\"    return 1\\n\","
                        + "\"test\":\"def check(c):\\n    assert c() == 1\\n\",\"entry_point\":\"f\"}",
                "{\"task_id\":2,\"text\":\"Write f.\",\"code\":\"def f(): return 1\",\"test_list\":[\"assert f() == 1\"],"
                        + "\"test_setup_code\":\"\"}",
                "{\"id\":\"q1\",\"query\":\"What is 1 + 1?\",\"gold\":\"2\"}\n{\"query\":\"x\",\"gold\":3,\"tests\":\"assert 1\"}"));
        seeds.addAll(sharedSeeds("gsm8k_test.jsonl", 3));
        seeds.addAll(sharedSeeds("mbpp.jsonl", 2));
        Path file = dir.resolve("fuzz.jsonl");
        Path gz = dir.resolve("fuzz.jsonl.gz");
        DatasetFormat[] formats = {null, DatasetFormat.GSM8K, DatasetFormat.HUMANEVAL, DatasetFormat.MBPP,
                DatasetFormat.JSONL};
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 500; i++) {
                byte[] input = fuzz.next(seeds);
                DatasetFormat format = formats[i % formats.length];
                Files.write(file, input);
                expectOnly(escape(new String(input, StandardCharsets.UTF_8)),
                        () -> DatasetReader.read(file, format), InputException.class);
                if (i % 5 == 0) { // gzipped, and random bytes that claim to be gzip
                    Files.write(gz, i % 10 == 0 ? gzip(input) : input);
                    expectOnly("gz:" + escape(new String(input, StandardCharsets.UTF_8)),
                            () -> DatasetReader.read(gz, format), InputException.class);
                }
            }
        });
        assertThat(unexpected).isEmpty();
    }

    @Test
    void should_read_fuzzed_routellm_traces_or_reject_them_with_a_typed_exception() throws IOException {
        Fuzzer fuzz = new Fuzzer(SEED + 3);
        String valid = "prompt,weak,strong,weak_response,strong_response\n"
                + "\"What is 1+1?\",True,True,\"It is 2, \"\"clearly\"\"\",2\n"
                + "\"Multi\nline\",False,1.0,\"no\",\"yes\"\n";
        List<byte[]> seeds = new ArrayList<>(utf8(valid));
        Path shared = sharedData().resolve("routellm_gsm8k_responses.dev.csv");
        if (Files.isRegularFile(shared)) {
            byte[] all = Files.readAllBytes(shared);
            seeds.add(java.util.Arrays.copyOf(all, Math.min(all.length, 6000)));
        }
        Path file = dir.resolve("trace.csv");
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 600; i++) {
                byte[] input = fuzz.next(seeds);
                String text = new String(input, StandardCharsets.UTF_8);
                expectOnly(escape(text), () -> RouteLlmTraceReader.read(new StringReader(text), "fuzz"),
                        InputException.class, IOException.class);
                Files.write(file, input);
                expectOnly(escape(text), () -> RouteLlmTrace.read(file), DataFormatException.class,
                        UncheckedIOException.class);
            }
        });
        assertThat(unexpected).isEmpty();
    }

    @Test
    void should_read_fuzzed_label_files_or_reject_them_with_a_typed_exception() throws IOException {
        Fuzzer fuzz = new Fuzzer(SEED + 4);
        Path valid = dir.resolve("valid.jsonl");
        LabelRecord.ModelCall full = new LabelRecord.ModelCall("one two #### 3", 12, 4, "STOP", 1.0);
        LabelRecord.ModelCall slm = new LabelRecord.ModelCall("#### 3", 14, 2, "STOP", 1.0);
        LabelFile.write(valid, List.of(new LabelRecord("q1", "sums", "What is 1 + 2?", "3", full,
                List.of(new LabelRecord.HintLevel(0, 0, "", 0, slm), new LabelRecord.HintLevel(10, 1, "one", 12, slm)),
                List.of(new LabelRecord.Sample("#### 3", "3", 14, 2, 0.2, 1.0),
                        new LabelRecord.Sample("no answer", null, 14, 2, null, 0.0)),
                Map.of("query_length", 5.0, "mean_entropy", 0.6, "mean_output_length", 2.0), "answer", true, 1, 10,
                true)));
        List<byte[]> seeds = List.of(Files.readAllBytes(valid));
        Path file = dir.resolve("labels.jsonl");
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 400; i++) {
                byte[] input = fuzz.next(seeds);
                String text = escape(new String(input, StandardCharsets.UTF_8));
                Files.write(file, input);
                expectOnly(text, () -> LabelFile.read(file), DataFormatException.class, UncheckedIOException.class);
                Files.write(file, input);
                expectOnly(text, () -> LabelFileWriter.open(file).close(), InputException.class,
                        UncheckedIOException.class);
            }
        });
        assertThat(unexpected).isEmpty();
    }

    @Test
    void should_read_fuzzed_bundle_metadata_or_reject_it_with_a_bundle_exception() {
        Fuzzer fuzz = new Fuzzer(SEED + 5);
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("shepherd.format", BundleMetadata.FORMAT);
        valid.put("shepherd.feature_names", "mean_entropy,mean_output_length");
        valid.put("shepherd.encoder.id", "all-minilm-l6-v2");
        valid.put("shepherd.encoder.pooling", "MEAN");
        valid.put("shepherd.encoder.max_length", "256");
        valid.put("shepherd.encoder.normalize", "true");
        valid.put("shepherd.encoder.dimension", "384");
        valid.put("shepherd.alpha", "0.228");
        valid.put("shepherd.eta_hint", "58");
        valid.put("shepherd.max_hint", "512");
        valid.put("shepherd.trained_at", "2026-11-25T00:00:00Z");
        valid.put("shepherd.seed", "7");
        valid.put("shepherd.validation.roc_auc", "0.8");
        valid.put("shepherd.validation.log_loss", "0.5");
        valid.put("shepherd.validation.size_mae", "3.1");
        valid.put("shepherd.validation.train_examples", "100");
        valid.put("shepherd.validation.examples", "20");
        valid.put("shepherd.validation.epochs", "30");
        valid.put("shepherd.validation.best_epoch", "12");
        BundleMetadata.fromProperties(valid, dir); // the seed itself is valid
        List<String> keys = new ArrayList<>(valid.keySet());
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 3000; i++) {
                Map<String, String> props = new LinkedHashMap<>(valid);
                int edits = 1 + fuzz.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    String key = keys.get(fuzz.nextInt(keys.size()));
                    switch (fuzz.nextInt(4)) {
                        case 0 -> props.remove(key);
                        case 1 -> props.put(key, fuzz.text());
                        case 2 -> props.put(key, props.getOrDefault(key, "").isEmpty() ? ""
                                : props.get(key).substring(0, fuzz.nextInt(props.get(key).length())));
                        default -> props.put(key, new String(fuzz.next(utf8("-1", "NaN", "1e400", "2147483648")),
                                StandardCharsets.UTF_8));
                    }
                }
                expectOnly(props.toString(), () -> BundleMetadata.fromProperties(props, dir), BundleException.class);
            }
        });
        assertThat(unexpected).isEmpty();
    }

    /** Runs {@code action}; any exception that is not one of {@code allowed} is recorded (the first 10). */
    @SafeVarargs
    private void expectOnly(String input, ThrowingRunnable action, Class<? extends Throwable>... allowed) {
        try {
            action.run();
        } catch (Throwable t) {
            for (Class<? extends Throwable> a : allowed) {
                if (a.isInstance(t)) {
                    return;
                }
            }
            if (unexpected.size() < 10) {
                unexpected.add(t + " on input: " + (input.length() > 300 ? input.substring(0, 300) + "..." : input));
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<byte[]> utf8(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Path sharedData() {
        return Path.of(System.getProperty("shepherd.shared", "../shared"), "data");
    }

    /** The first lines of a shared data file, as one seed each; none when the file is absent. */
    private static List<byte[]> sharedSeeds(String name, int lines) throws IOException {
        Path f = sharedData().resolve(name);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>();
        try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            while (out.size() < lines && (line = in.readLine()) != null) {
                out.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(400).forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
