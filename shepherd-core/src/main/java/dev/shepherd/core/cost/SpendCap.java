package dev.shepherd.core.cost;

import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.spi.SpendCapStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A limit on large-model spend over a rolling time window, never exceeded: before each
 * large-model call the caller {@linkplain #reserve(double) reserves} the call's worst-case cost,
 * and afterwards {@linkplain Reservation#settle(double) settles} it with the actual cost. A
 * reservation that would take the window over the limit is refused, so concurrent callers
 * cannot overshoot together. Thread-safe.
 *
 * <p>{@link #of(double, Duration)} keeps the window in this process; {@link #over(SpendCapStore)} keeps it
 * in a store shared by several processes (e.g. {@code shepherd-jdbc}'s PostgreSQL store), with the same
 * semantics.
 */
public final class SpendCap {

    private final SpendCapStore store;

    private SpendCap(SpendCapStore store) {
        this.store = store;
    }

    /** At most {@code limitUsd} dollars of large-model calls in any {@code window}, kept in this process. */
    public static SpendCap of(double limitUsd, Duration window) {
        return of(limitUsd, window, System::nanoTime);
    }

    /** As {@link #of(double, Duration)} with an injected clock (nanoseconds), for tests. */
    public static SpendCap of(double limitUsd, Duration window, LongSupplier nanoClock) {
        if (!(limitUsd >= 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("limitUsd must be finite and >= 0 but was " + limitUsd);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive but was " + window);
        }
        Objects.requireNonNull(nanoClock, "nanoClock");
        return new SpendCap(new LocalSpendCapStore(limitUsd, window.toNanos(), nanoClock));
    }

    /** A cap whose window lives in {@code store}, e.g. one shared by a fleet of processes. */
    public static SpendCap over(SpendCapStore store) {
        return new SpendCap(Objects.requireNonNull(store, "store"));
    }

    /** The limit in dollars per window. */
    public double limitUsd() {
        return store.limitUsd();
    }

    /** The length of the rolling window. */
    public Duration window() {
        return store.window();
    }

    /** Dollars spent or reserved in the current window. */
    public double spentInWindow() {
        return store.spentInWindow();
    }

    /**
     * Reserves {@code worstCaseUsd} against the window.
     *
     * @throws SpendLimitExceededException when the reservation would exceed the limit (or, by the store's
     *                                     configuration, when a shared store cannot be reached); nothing is
     *                                     reserved
     */
    public Reservation reserve(double worstCaseUsd) {
        if (!(worstCaseUsd >= 0) || Double.isInfinite(worstCaseUsd)) {
            throw new IllegalArgumentException("worstCaseUsd must be finite and >= 0 but was " + worstCaseUsd);
        }
        return new Reservation(store.reserve(worstCaseUsd));
    }

    @Override
    public String toString() {
        return "SpendCap[" + store + "]";
    }

    /** A reserved amount, to be settled once with the actual cost (0 when the call failed). Thread-safe. */
    public static final class Reservation {
        private final SpendCapStore.Hold hold;
        private final AtomicBoolean settled = new AtomicBoolean();

        private Reservation(SpendCapStore.Hold hold) {
            this.hold = Objects.requireNonNull(hold, "hold");
        }

        /** Replaces the reserved worst case with the actual cost. Idempotent after the first call. */
        public void settle(double actualUsd) {
            if (settled.compareAndSet(false, true)) {
                hold.settle(Math.max(0, actualUsd));
            }
        }
    }
}
