package dev.shepherd.cli.dataset;

import java.util.List;
import java.util.Objects;

/**
 * A dataset read from one file.
 *
 * @param name the file's name without extensions (e.g. {@code gsm8k_test})
 * @param format the format it was read as
 * @param examples the examples, in file order
 */
public record Dataset(String name, DatasetFormat format, List<Example> examples) {

    /** Validates and copies. */
    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        examples = List.copyOf(examples);
    }

    /** Returns the number of examples. */
    public int size() {
        return examples.size();
    }

    /** Returns the first {@code n} examples (all when {@code n <= 0} or larger than the set). */
    public Dataset limit(int n) {
        return n <= 0 || n >= examples.size() ? this : new Dataset(name, format, examples.subList(0, n));
    }
}
