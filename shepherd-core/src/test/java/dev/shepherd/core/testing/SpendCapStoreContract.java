package dev.shepherd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.spi.SpendCapStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SpendCapStore} passes through {@link SpendCap#over(SpendCapStore)}: a
 * reservation over the limit is refused and reserves nothing; settling replaces the worst case with the
 * actual cost, once; spend leaves the window when the window has passed, an unsettled reservation with its
 * worst case; racing reservations never take the window over the limit. Subclass it with
 * {@link #open(double, Duration)}, a fresh store (its own budget) with that limit and window.
 */
public abstract class SpendCapStoreContract {

    /** A fresh store with its own, empty window. */
    protected abstract SpendCapStore open(double limitUsd, Duration window);

    @Test
    void should_refuse_a_reservation_that_would_exceed_the_limit() {
        // given
        SpendCap cap = SpendCap.over(open(1.0, Duration.ofMinutes(5)));
        cap.reserve(0.6);

        // when / then
        assertThatThrownBy(() -> cap.reserve(0.5)).isInstanceOf(SpendLimitExceededException.class);
        assertThat(cap.spentInWindow()).isCloseTo(0.6, within(1e-9));
        cap.reserve(0.4);
        assertThat(cap.spentInWindow()).isCloseTo(1.0, within(1e-9));
        assertThat(cap.limitUsd()).isEqualTo(1.0);
        assertThat(cap.window()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void should_replace_the_worst_case_with_the_actual_cost_once() {
        // given
        SpendCap cap = SpendCap.over(open(1.0, Duration.ofMinutes(5)));
        SpendCap.Reservation r = cap.reserve(0.9);

        // when
        r.settle(0.1);
        r.settle(0.9);

        // then
        assertThat(cap.spentInWindow()).isCloseTo(0.1, within(1e-9));
        cap.reserve(0.9);
    }

    @Test
    void should_forget_spend_and_unsettled_reservations_older_than_the_window() throws Exception {
        // given: one settled and one never settled (its process died)
        SpendCap cap = SpendCap.over(open(1.0, Duration.ofMillis(700)));
        cap.reserve(0.5).settle(0.4);
        cap.reserve(0.5);
        assertThatThrownBy(() -> cap.reserve(0.2)).isInstanceOf(SpendLimitExceededException.class);

        // when
        Thread.sleep(1_000);

        // then
        assertThat(cap.spentInWindow()).isCloseTo(0, within(1e-9));
        cap.reserve(1.0);
    }

    @Test
    void should_settle_a_reservation_that_left_the_window_without_touching_the_window() throws Exception {
        // given
        SpendCap cap = SpendCap.over(open(1.0, Duration.ofMillis(500)));
        SpendCap.Reservation old = cap.reserve(0.8);
        Thread.sleep(700);
        cap.reserve(0.3);

        // when
        old.settle(0.1);

        // then
        assertThat(cap.spentInWindow()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void should_never_exceed_the_limit_under_racing_reservations() throws Exception {
        // given: 8 threads race to reserve $0.07, settle at $0.05, 25 times each, against $1
        SpendCapStore store = open(1.0, Duration.ofHours(1));
        SpendCap cap = SpendCap.over(store);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();

        // when
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 25; i++) {
                    try {
                        SpendCap.Reservation r = cap.reserve(0.07);
                        granted.incrementAndGet();
                        r.settle(0.05);
                    } catch (SpendLimitExceededException refused) {
                        // the cap holds
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // then: each settled grant counts $0.05; a 20th grant would have needed 19 × 0.05 + 0.07 = $1.02
        double spent = cap.spentInWindow();
        assertThat(spent).isLessThanOrEqualTo(1.0 + 1e-9);
        assertThat(spent).isCloseTo(granted.get() * 0.05, within(1e-9));
        assertThat(granted.get()).isBetween(12, 19);
    }
}
