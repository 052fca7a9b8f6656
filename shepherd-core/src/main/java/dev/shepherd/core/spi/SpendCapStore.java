package dev.shepherd.core.spi;

import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.SpendCap;
import java.time.Duration;

/**
 * Where a {@link SpendCap} created with {@link SpendCap#over(SpendCapStore)} keeps its rolling window: in
 * this process ({@link SpendCap#of(double, Duration)}) or shared by a fleet of processes (a database).
 *
 * <p>The semantics every implementation keeps, the in-process one's:
 * <ul>
 *   <li>{@link #reserve(double)} adds the worst case to the window atomically with the check, so that no
 *       interleaving of callers, in one process or many, takes the window over the limit; a refused
 *       reservation reserves nothing.</li>
 *   <li>A reservation counts for {@link #window()} after it was made, first with its worst case, then, once
 *       {@linkplain Hold#settle(double) settled}, with the actual cost. A reservation never settled (its
 *       process died) keeps its worst case until it leaves the window: it may have been billed.</li>
 *   <li>When the store cannot be reached it never lets a call through uncapped: it throws (a
 *       {@link SpendLimitExceededException} to let the small model answer, or another
 *       {@link dev.shepherd.core.ShepherdException} to fail the request), as the implementation is
 *       configured.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface SpendCapStore {

    /** The limit in dollars per window. */
    double limitUsd();

    /** The length of the rolling window. */
    Duration window();

    /** Dollars spent or reserved in the current window. */
    double spentInWindow();

    /**
     * Reserves {@code worstCaseUsd} (finite, &ge; 0, checked by the caller) against the window.
     *
     * @throws SpendLimitExceededException when the reservation would exceed the limit; nothing is reserved
     */
    Hold reserve(double worstCaseUsd);

    /** One reservation, settled at most once (the caller, {@link SpendCap.Reservation}, guarantees it). */
    interface Hold {

        /**
         * Replaces the reserved worst case with {@code actualUsd} (&ge; 0). Never throws: when the store cannot
         * be reached the worst case stays reserved until the reservation leaves the window.
         */
        void settle(double actualUsd);
    }
}
