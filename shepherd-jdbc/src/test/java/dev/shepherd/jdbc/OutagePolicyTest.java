package dev.shepherd.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.SpendCap;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.policy.LargeOnly;
import dev.shepherd.core.testing.ScriptedGenerator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database outage never lets a large-model call through uncapped: it refuses it, or fails the request. */
class OutagePolicyTest {

    @TempDir
    Path dir;

    private Shepherd shepherd(SpendCap cap, CostLedger ledger, ScriptedGenerator large) {
        return Shepherd.builder().small(ScriptedGenerator.replying("small", "#### 1")).large(large)
                .policy(LargeOnly.create()).costModel(CostModel.localSmall(TokenPrices.perMillion(1, 2)))
                .spendCap(cap).ledger(ledger).build();
    }

    @Test
    void should_answer_with_the_small_model_when_the_cap_database_is_down_and_policy_is_fallback() {
        // given: the cap's database goes away after start-up
        ShepherdDatabase capDb = ShepherdDatabase.h2(dir.resolve("cap"));
        SpendCap cap = SpendCap.over(capDb.spendCap("svc", 10, Duration.ofHours(1), OutagePolicy.FALLBACK_TO_SMALL));
        ScriptedGenerator large = ScriptedGenerator.replying("large", "#### 2");
        CostLedger ledger = CostLedger.create();
        capDb.close();

        // when
        ShepherdResult r = shepherd(cap, ledger, large).answer(Query.of("q"));

        // then
        assertThat(large.calls()).isZero();
        assertThat(r.decision()).isEqualTo(Decision.smallOnly());
        assertThat(r.notes()).contains(ShepherdResult.NOTE_SPEND_CAP);
        assertThat(ledger.totals().requests()).isEqualTo(1);
        assertThatThrownBy(() -> cap.reserve(0.01)).isInstanceOf(SpendLimitExceededException.class)
                .hasMessageContaining("spend cap 'svc'").hasMessageContaining("unavailable")
                .hasMessageContaining("FALLBACK_TO_SMALL");
    }

    @Test
    void should_fail_the_request_when_the_cap_database_is_down_and_policy_is_fail_closed() {
        // given
        ShepherdDatabase capDb = ShepherdDatabase.h2(dir.resolve("cap"));
        SpendCap cap = SpendCap.over(capDb.spendCap("svc", 10, Duration.ofHours(1), OutagePolicy.FAIL_CLOSED));
        ScriptedGenerator large = ScriptedGenerator.replying("large", "#### 2");
        CostLedger ledger = CostLedger.create();
        capDb.close();

        // when / then
        assertThatThrownBy(() -> shepherd(cap, ledger, large).answer(Query.of("q")))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("FAIL_CLOSED");
        assertThat(large.calls()).isZero();
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.succeeded()).isFalse());
    }

    @Test
    void should_keep_the_worst_case_when_a_settlement_cannot_be_written() {
        // given: a reservation whose settlement comes after the database went away
        Path file = dir.resolve("cap");
        ShepherdDatabase db = ShepherdDatabase.h2(file);
        SpendCap.Reservation r = SpendCap.over(db.spendCap("svc", 1, Duration.ofHours(1))).reserve(0.5);
        db.close();

        // when: a settlement never throws
        r.settle(0.1);

        // then: the worst case is still reserved (the call may have been billed)
        try (ShepherdDatabase again = ShepherdDatabase.h2(file)) {
            assertThat(SpendCap.over(again.spendCap("svc", 1, Duration.ofHours(1))).spentInWindow()).isEqualTo(0.5);
        }
    }

    @Test
    void should_continue_the_ledger_totals_after_a_restart_through_the_executor() {
        // given
        Path file = dir.resolve("ledger");
        try (ShepherdDatabase db = ShepherdDatabase.h2(file)) {
            Shepherd s = shepherd(SpendCap.over(db.spendCap("svc", 1, Duration.ofHours(1))), CostLedger.over(db.ledger()),
                    ScriptedGenerator.replying("large", "#### 2"));
            s.answer(Query.of("q1"));
            s.answer(Query.of("q2"));
        }

        // when
        try (ShepherdDatabase db = ShepherdDatabase.h2(file)) {
            CostLedger ledger = CostLedger.over(db.ledger());

            // then
            assertThat(ledger.totals().requests()).isEqualTo(2);
            assertThat(ledger.totals().largeCalls()).isEqualTo(2);
            assertThat(ledger.totals().costUsd()).isPositive();
            assertThat(SpendCap.over(db.spendCap("svc", 1, Duration.ofHours(1))).spentInWindow())
                    .isEqualTo(ledger.totals().costUsd(), org.assertj.core.api.Assertions.within(1e-9));
        }
    }
}
