package dev.shepherd.cli.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads a dataset file (JSONL, optionally {@code .gz}) into {@link Example}s with their gold answers.
 *
 * <p>Every problem is reported as an {@link InputException} naming the file, the 1-based line and the field:
 * a truncated or malformed JSON line, a missing or empty field, a GSM8K answer without {@code #### }.
 * Blank lines are skipped.
 *
 * <p>Stateless and thread-safe.
 */
public final class DatasetReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DatasetReader() {
    }

    /**
     * Parses a dataset argument: {@code FILE} or {@code FORMAT:FILE} (e.g. {@code gsm8k:data/test.jsonl}).
     *
     * @param spec the argument
     * @param format the format from {@code --format}, or {@code null} to use the prefix or detect it
     * @return the examples, in file order
     */
    public static Dataset read(String spec, DatasetFormat format) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        if (colon > 1 && DatasetFormat.find(spec.substring(0, colon)).isPresent()) {
            DatasetFormat prefix = DatasetFormat.find(spec.substring(0, colon)).get();
            return read(Path.of(spec.substring(colon + 1)), format != null ? format : prefix);
        }
        return read(Path.of(spec), format);
    }

    /**
     * Reads a dataset file.
     *
     * @param file the file ({@code .gz} is decompressed)
     * @param format the format, or {@code null} to detect it from the name or the first record
     * @return the examples, in file order
     * @throws InputException when the file is missing, unreadable or malformed
     */
    public static Dataset read(Path file, DatasetFormat format) {
        Objects.requireNonNull(file, "file");
        String where = file.toString();
        List<Example> out = new ArrayList<>();
        DatasetFormat resolved = format;
        try (BufferedReader in = open(file)) {
            String line;
            long lineNo = 0;
            int index = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(where, lineNo, line);
                if (resolved == null) {
                    resolved = DatasetFormat.detect(file, node);
                }
                out.add(ExampleMapper.map(resolved, node, stem(file), index++, where, lineNo));
            }
        } catch (NoSuchFileException e) {
            throw new InputException(where, 0, null, "dataset file not found");
        } catch (IOException e) {
            throw new InputException(where, 0, null, "cannot read dataset: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new InputException(where, 0, null, "dataset is empty");
        }
        return new Dataset(stem(file), resolved, out);
    }

    private static JsonNode parse(String where, long lineNo, String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.isObject()) {
                throw new InputException(where, lineNo, null, "expected a JSON object on the line");
            }
            return node;
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            boolean truncated = why != null && why.contains("end-of-input");
            throw new InputException(where, lineNo, null,
                    (truncated ? "truncated JSONL line" : "malformed JSONL line") + " (" + firstLine(why) + ")");
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        for (String ext : new String[] {".gz", ".jsonl", ".json"}) {
            if (name.endsWith(ext)) {
                name = name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
