package dev.shepherd.cli.label;

/**
 * What a labeling run did.
 *
 * @param written records written in this run
 * @param skipped queries already in the file (from an earlier run)
 * @param failed queries whose model calls failed (retried by the next run)
 * @param calls model calls made
 * @param costUsd dollars spent
 * @param seconds wall-clock duration
 * @param firstError the first failure's message, or {@code null}
 */
public record LabelSummary(int written, int skipped, int failed, long calls, double costUsd, double seconds,
                           String firstError) {

    /** Returns model calls per second over the run. */
    public double callsPerSecond() {
        return seconds > 0 ? calls / seconds : 0;
    }
}
