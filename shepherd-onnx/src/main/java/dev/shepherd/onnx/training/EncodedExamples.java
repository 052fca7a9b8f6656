package dev.shepherd.onnx.training;

import dev.shepherd.onnx.EncodedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labeled examples with their encoder outputs, computed once so that cross-validation and baselines
 * reuse them. Immutable by convention (arrays are shared, not copied); thread-safe for reading.
 */
public final class EncodedExamples {

    private final String encoderId;
    private final List<LabeledExample> examples;
    private final List<EncodedText> encoded;

    EncodedExamples(String encoderId, List<LabeledExample> examples, List<EncodedText> encoded) {
        if (examples.size() != encoded.size()) {
            throw new IllegalArgumentException("examples and encodings must have the same size but were "
                    + examples.size() + " and " + encoded.size());
        }
        this.encoderId = Objects.requireNonNull(encoderId, "encoderId");
        this.examples = List.copyOf(examples);
        this.encoded = List.copyOf(encoded);
    }

    /** The id of the encoder that produced the vectors. */
    public String encoderId() {
        return encoderId;
    }

    /** Number of examples. */
    public int size() {
        return examples.size();
    }

    /** The i-th example. */
    public LabeledExample example(int i) {
        return examples.get(i);
    }

    /** The encoder's output for the i-th example's query. */
    public EncodedText encoded(int i) {
        return encoded.get(i);
    }

    /** All examples, in order. */
    public List<LabeledExample> examples() {
        return examples;
    }

    /** The rows at the given indices, in that order. */
    public EncodedExamples subset(int[] indices) {
        List<LabeledExample> ex = new ArrayList<>(indices.length);
        List<EncodedText> en = new ArrayList<>(indices.length);
        for (int i : indices) {
            ex.add(examples.get(i));
            en.add(encoded.get(i));
        }
        return new EncodedExamples(encoderId, ex, en);
    }
}
