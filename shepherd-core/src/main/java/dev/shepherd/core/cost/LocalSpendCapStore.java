package dev.shepherd.core.cost;

import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.spi.SpendCapStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.LongSupplier;

/** The in-process window behind {@link SpendCap#of(double, Duration)}: a deque of reservations. Thread-safe. */
final class LocalSpendCapStore implements SpendCapStore {

    private final double limitUsd;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Deque<LocalHold> window = new ArrayDeque<>();
    private double inWindow;

    LocalSpendCapStore(double limitUsd, long windowNanos, LongSupplier nanoClock) {
        this.limitUsd = limitUsd;
        this.windowNanos = windowNanos;
        this.nanoClock = nanoClock;
    }

    @Override
    public double limitUsd() {
        return limitUsd;
    }

    @Override
    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    @Override
    public synchronized double spentInWindow() {
        expire(nanoClock.getAsLong());
        return inWindow;
    }

    @Override
    public synchronized Hold reserve(double worstCaseUsd) {
        long now = nanoClock.getAsLong();
        expire(now);
        if (inWindow + worstCaseUsd > limitUsd + 1e-12) {
            throw new SpendLimitExceededException(String.format(Locale.ROOT,
                    "spend cap of $%.6f per %s reached: $%.6f spent or reserved, this call may cost up to $%.6f",
                    limitUsd, window(), inWindow, worstCaseUsd));
        }
        LocalHold h = new LocalHold(now, worstCaseUsd);
        window.addLast(h);
        inWindow += worstCaseUsd;
        return h;
    }

    private void expire(long now) {
        while (!window.isEmpty() && now - window.peekFirst().at >= windowNanos) {
            LocalHold h = window.removeFirst();
            h.expired = true;
            inWindow -= h.amount;
        }
        if (window.isEmpty()) {
            inWindow = 0; // drop floating-point residue
        }
    }

    private synchronized void settle(LocalHold h, double actualUsd) {
        if (!h.expired) {
            inWindow += actualUsd - h.amount;
        }
        h.amount = actualUsd;
    }

    @Override
    public String toString() {
        return "SpendCapStore.local[$" + limitUsd + " per " + window() + "]";
    }

    private final class LocalHold implements Hold {
        private final long at;
        private double amount;
        private boolean expired;

        LocalHold(long at, double amount) {
            this.at = at;
            this.amount = amount;
        }

        @Override
        public void settle(double actualUsd) {
            LocalSpendCapStore.this.settle(this, actualUsd);
        }
    }
}
