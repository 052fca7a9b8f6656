package dev.shepherd.cli.label;

import dev.shepherd.cli.dataset.Dataset;
import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.progress.ProgressLine;
import dev.shepherd.core.SpendLimitExceededException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Labels a dataset with bounded concurrency: at most {@code concurrency} queries are in flight, each record is
 * appended (and forced to disk) as soon as it is complete, queries already in the file are skipped, and a progress
 * line with ETA and running cost is redrawn on stderr.
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class LabelRun {

    private static final Logger log = LoggerFactory.getLogger(LabelRun.class);

    private final Labeler labeler;
    private final int concurrency;
    private final PrintWriter progress;
    private final int maxFailures;
    private final AtomicReference<String> stoppedBy = new AtomicReference<>();

    /**
     * Creates a run.
     *
     * @param labeler computes records
     * @param concurrency queries in flight, ≥ 1
     * @param progress where the progress line goes (stderr), or {@code null} for none
     * @param maxFailures stop starting new queries after this many failed (an unreachable endpoint should not be
     *                    retried for every query), ≥ 1
     */
    public LabelRun(Labeler labeler, int concurrency, PrintWriter progress, int maxFailures) {
        this.labeler = Objects.requireNonNull(labeler, "labeler");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1 but was " + concurrency);
        }
        this.concurrency = concurrency;
        this.progress = progress;
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be >= 1 but was " + maxFailures);
        }
        this.maxFailures = maxFailures;
    }

    /** Why the last run stopped early ({@code --max-cost} reached), or {@code null} when it did not. */
    public String stoppedBy() {
        return stoppedBy.get();
    }

    /**
     * Labels every example not yet in {@code out}; stops starting queries when a call would pass the
     * {@code --max-cost} budget ({@link #stoppedBy()}).
     *
     * @param data the dataset
     * @param out the label file, opened for appending
     * @return what happened
     */
    public LabelSummary run(Dataset data, LabelFileWriter out) {
        List<Example> todo = new ArrayList<>();
        for (Example ex : data.examples()) {
            if (!out.contains(ex.id())) {
                todo.add(ex);
            }
        }
        int skipped = data.size() - todo.size();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "shepherd-label");
            t.setDaemon(true);
            return t;
        });
        ProgressLine line = ProgressLine.start(progress, "label", todo.size(), done::get, failed::get,
                () -> String.format(Locale.ROOT, "%d skipped  cost $%.4f  %d calls", skipped, labeler.costUsd(),
                        labeler.calls()));
        try {
            List<Future<?>> futures = new ArrayList<>(todo.size());
            for (Example ex : todo) {
                futures.add(pool.submit(() -> {
                    if (failed.get() >= maxFailures || stoppedBy.get() != null) {
                        return;
                    }
                    try {
                        out.append(ex.id(), labeler.label(ex, data.name()));
                        done.incrementAndGet();
                    } catch (SpendLimitExceededException e) {
                        stoppedBy.compareAndSet(null, e.getMessage()); // --max-cost: start no further query
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, ex.id() + ": " + e.getMessage());
                        log.warn("labeling {} failed (it will be retried on the next run): {}", ex.id(), e.getMessage());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            line.close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LabelSummary(done.get(), skipped, failed.get(), labeler.calls(), labeler.costUsd(), seconds,
                firstError.get());
    }
}
