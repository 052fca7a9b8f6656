package dev.shepherd.cli;

import dev.shepherd.trace.HoldoutSplit;
import dev.shepherd.trace.Trace;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code --split train|test} and {@code --holdout-fraction F}: keep one side of the deterministic split of a trace
 * by the hash of each query's id ({@link HoldoutSplit}), so that "train on one part, evaluate on the other" is one
 * flag on each command. Not thread-safe (filled in by picocli).
 */
public final class SplitOptions {

    @Option(names = "--split", paramLabel = "train|test", description = "Keep one side of the split by SHA-256 of the "
            + "query id: train (the queries not held out) or test (the held-out ones).")
    String part;

    @Option(names = "--holdout-fraction", paramLabel = "F", description = "Share of queries held out by the split, "
            + "in (0, 1) (default: 0.5 with --split).")
    Double fraction;

    /** Whether a split was asked for. */
    boolean given() {
        return part != null || fraction != null;
    }

    /**
     * Returns the side of the trace asked for, or the trace itself without {@code --split}.
     *
     * @throws InputException for a bad part or fraction, or a fraction without a part
     */
    Trace apply(Trace trace) {
        if (part == null && fraction == null) {
            return trace;
        }
        if (part == null) {
            throw new InputException("--holdout-fraction", 0, null, "needs --split train|test to say which side to keep");
        }
        try {
            return trace.part(split(), HoldoutSplit.Part.parse(part));
        } catch (IllegalArgumentException e) {
            throw new InputException("--split", 0, null, e.getMessage());
        }
    }

    private HoldoutSplit split() {
        try {
            return new HoldoutSplit(fraction == null ? HoldoutSplit.DEFAULT_FRACTION : fraction);
        } catch (IllegalArgumentException e) {
            throw new InputException("--holdout-fraction", 0, null, e.getMessage());
        }
    }

    /** The side kept, in words ("test side (held-out share 0.50 by SHA-256 of the id)"). */
    String describe() {
        return String.format(Locale.ROOT, "%s side of the split (%s)", part.strip().toLowerCase(Locale.ROOT), split());
    }
}
