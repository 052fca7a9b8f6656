package dev.shepherd.core.cost;

import dev.shepherd.core.SpendLimitExceededException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A limit on large-model spend over a rolling time window, never exceeded: before each
 * large-model call the caller {@linkplain #reserve(double) reserves} the call's worst-case cost,
 * and afterwards {@linkplain Reservation#settle(double) settles} it with the actual cost. A
 * reservation that would take the window over the limit is refused, so concurrent callers
 * cannot overshoot together. Thread-safe.
 */
public final class SpendCap {

    private final double limitUsd;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<Reservation> window = new ArrayDeque<>();
    private double inWindow;

    private SpendCap(double limitUsd, Duration window, LongSupplier nanoClock) {
        if (!(limitUsd >= 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("limitUsd must be finite and >= 0 but was " + limitUsd);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
        this.limitUsd = limitUsd;
        this.windowNanos = window.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** At most {@code limitUsd} dollars of large-model calls in any {@code window}. */
    public static SpendCap of(double limitUsd, Duration window) {
        return new SpendCap(limitUsd, window, System::nanoTime);
    }

    /** As {@link #of(double, Duration)} with an injected clock (nanoseconds), for tests. */
    public static SpendCap of(double limitUsd, Duration window, LongSupplier nanoClock) {
        return new SpendCap(limitUsd, window, nanoClock);
    }

    /** The limit in dollars per window. */
    public double limitUsd() {
        return limitUsd;
    }

    /** Dollars spent or reserved in the current window. */
    public synchronized double spentInWindow() {
        expire(nanoClock.getAsLong());
        return inWindow;
    }

    /**
     * Reserves {@code worstCaseUsd} against the window.
     *
     * @throws SpendLimitExceededException when the reservation would exceed the limit; nothing is reserved
     */
    public synchronized Reservation reserve(double worstCaseUsd) {
        if (!(worstCaseUsd >= 0) || Double.isInfinite(worstCaseUsd)) {
            throw new IllegalArgumentException("worstCaseUsd must be finite and >= 0 but was " + worstCaseUsd);
        }
        long now = nanoClock.getAsLong();
        expire(now);
        if (inWindow + worstCaseUsd > limitUsd + 1e-12) {
            throw new SpendLimitExceededException(String.format(Locale.ROOT,
                    "spend cap of $%.6f per %s reached: $%.6f spent or reserved, this call may cost up to $%.6f",
                    limitUsd, Duration.ofNanos(windowNanos), inWindow, worstCaseUsd));
        }
        Reservation r = new Reservation(now, worstCaseUsd);
        window.addLast(r);
        inWindow += worstCaseUsd;
        return r;
    }

    private void expire(long now) {
        while (!window.isEmpty() && now - window.peekFirst().at >= windowNanos) {
            Reservation r = window.removeFirst();
            r.expired = true;
            inWindow -= r.amount;
        }
        if (window.isEmpty()) {
            inWindow = 0; // drop floating-point residue
        }
    }

    private synchronized void settle(Reservation r, double actualUsd) {
        if (!r.expired) {
            inWindow += actualUsd - r.amount;
        }
        r.amount = actualUsd;
    }

    /** A reserved amount, to be settled once with the actual cost (0 when the call failed). */
    public final class Reservation {
        private final long at;
        private double amount;
        private boolean settled;
        private boolean expired;

        private Reservation(long at, double amount) {
            this.at = at;
            this.amount = amount;
        }

        /** Replaces the reserved worst case with the actual cost. Idempotent after the first call. */
        public void settle(double actualUsd) {
            synchronized (SpendCap.this) {
                if (settled) {
                    return;
                }
                settled = true;
                SpendCap.this.settle(this, Math.max(0, actualUsd));
            }
        }
    }
}
