package dev.shepherd.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.SpendLimitExceededException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpendCapTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void should_refuse_a_reservation_that_would_exceed_the_limit() {
        // given
        SpendCap cap = SpendCap.of(1.0, Duration.ofMinutes(1), now::get);
        cap.reserve(0.6);

        // when / then
        assertThatThrownBy(() -> cap.reserve(0.5))
                .isInstanceOf(SpendLimitExceededException.class)
                .hasMessageContaining("$1.000000").hasMessageContaining("$0.600000");
        assertThat(cap.spentInWindow()).isCloseTo(0.6, within(1e-12));
        cap.reserve(0.4);
    }

    @Test
    void should_release_the_difference_when_settled_with_the_actual_cost() {
        // given
        SpendCap cap = SpendCap.of(1.0, Duration.ofMinutes(1), now::get);
        SpendCap.Reservation r = cap.reserve(0.9);

        // when
        r.settle(0.1);
        r.settle(0.9); // idempotent: ignored

        // then
        assertThat(cap.spentInWindow()).isCloseTo(0.1, within(1e-12));
        cap.reserve(0.9);
    }

    @Test
    void should_forget_spend_older_than_the_window() {
        // given
        SpendCap cap = SpendCap.of(1.0, Duration.ofSeconds(10), now::get);
        cap.reserve(1.0);

        // when
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        // then
        assertThat(cap.spentInWindow()).isZero();
        cap.reserve(1.0);
    }

    @Test
    void should_never_exceed_the_limit_under_concurrent_reservations() throws Exception {
        // given: 8 threads race to reserve $0.07 each, 50 times, against a $1 cap in a frozen window
        SpendCap cap = SpendCap.of(1.0, Duration.ofHours(1), now::get);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        double[] maxSeen = new double[1];
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50; i++) {
                    try {
                        SpendCap.Reservation r = cap.reserve(0.07);
                        granted.incrementAndGet();
                        double seen = cap.spentInWindow();
                        synchronized (maxSeen) {
                            maxSeen[0] = Math.max(maxSeen[0], seen);
                        }
                        r.settle(0.07);
                    } catch (SpendLimitExceededException e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }

        // when
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }

        // then: floor(1 / 0.07) = 14 reservations fit, never more
        assertThat(granted.get()).isEqualTo(14);
        assertThat(refused.get()).isEqualTo(8 * 50 - 14);
        assertThat(cap.spentInWindow()).isLessThanOrEqualTo(1.0 + 1e-12);
        assertThat(maxSeen[0]).isLessThanOrEqualTo(1.0 + 1e-12);
    }

    @Test
    void should_reject_bad_limits_windows_and_amounts() {
        assertThatThrownBy(() -> SpendCap.of(Double.NaN, Duration.ofSeconds(1))).hasMessageContaining("limitUsd");
        assertThatThrownBy(() -> SpendCap.of(-1, Duration.ofSeconds(1))).hasMessageContaining("-1");
        assertThatThrownBy(() -> SpendCap.of(1, Duration.ZERO)).hasMessageContaining("window");
        SpendCap cap = SpendCap.of(1, Duration.ofSeconds(1), now::get);
        assertThatThrownBy(() -> cap.reserve(-0.1)).hasMessageContaining("worstCaseUsd");
        assertThatThrownBy(() -> cap.reserve(Double.NaN)).hasMessageContaining("NaN");
    }
}
