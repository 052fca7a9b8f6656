package dev.shepherd.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A progress line redrawn on stderr every half second while work runs:
 * {@code <label> [#####.....] finished/total  F failed  elapsed mm:ss  ETA mm:ss  <details>}. The one owner of
 * progress formatting for the command line ({@code label}, live {@code eval}).
 *
 * <p>Counts are read from the caller's counters, so the caller keeps the numbers it reports. {@link #close()}
 * stops redrawing and draws the final line followed by a newline. Thread-safe.
 */
public final class ProgressLine implements AutoCloseable {

    private static final int WIDTH = 24;

    private final PrintWriter out;
    private final String label;
    private final int total;
    private final IntSupplier done;
    private final IntSupplier failed;
    private final Supplier<String> details;
    private final long start;
    private final ScheduledExecutorService ticker;
    private boolean closed;

    private ProgressLine(PrintWriter out, String label, int total, IntSupplier done, IntSupplier failed,
                         Supplier<String> details) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.done = done;
        this.failed = failed;
        this.details = details;
        this.start = System.nanoTime();
        if (out == null) {
            this.ticker = null;
            return;
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shepherd-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> draw(false), 0, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts redrawing.
     *
     * @param out where the line goes (stderr), or {@code null} to draw nothing (elapsed time is still measured)
     * @param label what is being done ({@code label}, a strategy name)
     * @param total items to finish, ≥ 0
     * @param done items finished successfully so far
     * @param failed items failed so far
     * @param details text appended after the ETA (e.g. running cost), or {@code null}
     * @return the running line
     */
    public static ProgressLine start(PrintWriter out, String label, int total, IntSupplier done, IntSupplier failed,
                                     Supplier<String> details) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(failed, "failed");
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0 but was " + total);
        }
        return new ProgressLine(out, label, total, done, failed, details);
    }

    /** Seconds since {@link #start}. */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Stops redrawing and draws the final line with a newline; idempotent. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        draw(true);
    }

    private synchronized void draw(boolean last) {
        if (out == null || closed) {
            return;
        }
        closed = last;
        out.print("\r" + line(label, done.getAsInt(), failed.getAsInt(), total, elapsedSeconds(),
                details == null ? "" : details.get()));
        if (last) {
            out.println();
        }
        out.flush();
    }

    /**
     * Formats one line (without the leading carriage return).
     *
     * @param label what is being done
     * @param done items finished successfully
     * @param failed items failed
     * @param total items in all
     * @param elapsedSeconds time so far
     * @param details text appended after the ETA, may be empty
     * @return the line
     */
    public static String line(String label, int done, int failed, int total, double elapsedSeconds, String details) {
        int finished = done + failed;
        String eta = finished == 0 ? "--:--" : clock(elapsedSeconds / finished * Math.max(0, total - finished));
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, (long) WIDTH * finished / total);
        String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d  %d failed  elapsed %s  ETA %s", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), finished, total, failed, clock(elapsedSeconds), eta);
        return details == null || details.isEmpty() ? line : line + "  " + details;
    }

    /** {@code mm:ss}, or {@code h:mm:ss} from an hour on; rounds up. */
    public static String clock(double seconds) {
        long s = (long) Math.ceil(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
