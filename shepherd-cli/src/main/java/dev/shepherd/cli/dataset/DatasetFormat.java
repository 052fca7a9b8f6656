package dev.shepherd.cli.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.cli.InputException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The dataset file formats the command line reads. */
public enum DatasetFormat {
    /** GSM8K JSONL: {@code question}, {@code answer}; the gold number follows {@code #### }. */
    GSM8K("gsm8k"),
    /** HumanEval JSONL (optionally gzipped): {@code task_id, prompt, test, entry_point, canonical_solution}. */
    HUMANEVAL("humaneval"),
    /** MBPP JSONL: {@code task_id, text, code, test_list, test_setup_code}. */
    MBPP("mbpp"),
    /** Generic JSONL: {@code query}, {@code gold}, optional {@code id}, optional {@code tests} (Python). */
    JSONL("jsonl");

    private final String label;

    DatasetFormat(String label) {
        this.label = label;
    }

    /** Returns the name used on the command line. */
    public String label() {
        return label;
    }

    /** Returns the accepted names, comma separated, for messages. */
    public static String labels() {
        return Arrays.stream(values()).map(DatasetFormat::label).collect(Collectors.joining(", "));
    }

    /**
     * Parses a format name.
     *
     * @param name the name, case-insensitive
     * @return the format
     * @throws InputException when the name is unknown
     */
    public static DatasetFormat parse(String name) {
        return find(name).orElseThrow(() -> new InputException("--format", 0, null,
                "unknown dataset format '" + name + "'; expected one of: " + labels()));
    }

    /** Returns the format with this name, if any. */
    public static Optional<DatasetFormat> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.label.equals(n)).findFirst();
    }

    /**
     * Tells the format from the file name, else from the first record's fields.
     *
     * @param file the dataset file
     * @param first the first record, or {@code null} when the file is empty
     * @return the detected format
     * @throws InputException when neither the name nor the fields say
     */
    static DatasetFormat detect(Path file, JsonNode first) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("gsm8k")) {
            return GSM8K;
        }
        if (name.contains("humaneval")) {
            return HUMANEVAL;
        }
        if (name.contains("mbpp")) {
            return MBPP;
        }
        if (first != null) {
            if (first.has("question") && first.has("answer")) {
                return GSM8K;
            }
            if (first.has("prompt") && first.has("test") && first.has("entry_point")) {
                return HUMANEVAL;
            }
            if (first.has("text") && first.has("test_list")) {
                return MBPP;
            }
            if (first.has("query")) {
                return JSONL;
            }
        }
        throw new InputException(file.toString(), first == null ? 0 : 1, null,
                "unknown dataset format: neither the file name nor the first record's fields match a known format;"
                        + " pass --format with one of: " + labels());
    }
}
