package dev.shepherd.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.ModelRole;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcLedgerStoreTest {

    @TempDir
    Path dir;

    @Test
    void should_read_back_an_entry_as_written() {
        // given
        LedgerEntry e = new LedgerEntry("req-1", Instant.parse("2026-03-04T05:06:07.123456Z"), "reactive-shepherding",
                "q-1", Decision.hint(16), List.of(
                new CallRecord(ModelRole.SMALL, "llama3.2:3b", CallPurpose.SAMPLE, 40, 12, 0, Duration.ofMillis(31),
                        FinishReason.STOP, null),
                new CallRecord(ModelRole.LARGE, "gpt-4o-mini", CallPurpose.HINT, 44, 16, 0.0000162,
                        Duration.ofNanos(12_345_678), FinishReason.LENGTH, null),
                new CallRecord(ModelRole.SMALL, "llama3.2:3b", CallPurpose.ANSWER, 0, 0, 0, Duration.ofMillis(2),
                        null, "timeout: \"slow\"\nsecond line"),
                new CallRecord(ModelRole.LARGE, "llama-3.1-8b", CallPurpose.ANSWER, 10, 5, 0.000001, Duration.ofMillis(9),
                        FinishReason.STOP, null, "mid")),
                true, null, List.of("agreed 1/3", "llm-unavailable"));

        try (ShepherdDatabase db = ShepherdDatabase.h2(dir.resolve("ledger"))) {
            // when
            db.ledger().append(e);

            // then
            LedgerEntry back = db.ledger().find("req-1").orElseThrow();
            assertThat(back.timestamp()).isEqualTo(e.timestamp());
            assertThat(back.decision()).isEqualTo(Decision.hint(16));
            assertThat(back.notes()).isEqualTo(e.notes());
            assertThat(back.calls()).hasSize(4);
            assertThat(back.calls()).extracting(CallRecord::tier).containsExactly("small", "large", "small", "mid");
            assertThat(back.calls().get(1)).isEqualTo(new CallRecord(ModelRole.LARGE, "gpt-4o-mini", CallPurpose.HINT,
                    44, 16, 0.0000162, Duration.ofNanos(12_345_000), FinishReason.LENGTH, null));
            assertThat(back.calls().get(2).error()).isEqualTo("timeout: \"slow\"\nsecond line");
            assertThat(back.costUsd()).isEqualTo(e.costUsd());
            assertThat(db.ledger().find("nope")).isEmpty();
        }
    }

    @Test
    void should_keep_a_failed_entry_without_decision_and_cut_long_errors() {
        // given
        LedgerEntry e = new LedgerEntry("req-2", Instant.now(), "p", "q", null, List.of(), false, "x".repeat(20_000),
                List.of());

        try (ShepherdDatabase db = ShepherdDatabase.h2(dir.resolve("ledger"))) {
            // when
            db.ledger().append(e);

            // then
            LedgerEntry back = db.ledger().find("req-2").orElseThrow();
            assertThat(back.decision()).isNull();
            assertThat(back.succeeded()).isFalse();
            assertThat(back.notes()).isEmpty();
            assertThat(back.error()).hasSize(8000).endsWith("...[truncated]");
            assertThat(db.ledger().totals().failures()).isEqualTo(1);
        }
    }

    @Test
    void should_parse_every_decision() {
        assertThat(JdbcLedgerStore.decision("SMALL_ONLY")).isEqualTo(Decision.smallOnly());
        assertThat(JdbcLedgerStore.decision("LARGE_FULL")).isEqualTo(Decision.largeFull());
        assertThat(JdbcLedgerStore.decision("HINT(8)")).isEqualTo(Decision.hint(8));
        assertThat(JdbcLedgerStore.decision(null)).isNull();
    }

    @Test
    void should_throw_a_typed_exception_when_the_database_is_gone() {
        // given
        ShepherdDatabase db = ShepherdDatabase.h2(dir.resolve("ledger"));
        db.close();

        // when / then
        assertThatThrownBy(() -> db.ledger().append(new LedgerEntry("r", Instant.now(), "p", "q", null, List.of(),
                true, null, null)))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("request r")
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> db.ledger().totals()).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void should_name_the_database_it_cannot_reach_without_its_password() {
        assertThatThrownBy(() -> ShepherdDatabase.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/nowhere?password=secret").connectionTimeout(Duration.ofMillis(300))
                .build())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("127.0.0.1:1/nowhere")
                .hasMessageNotContaining("secret");
    }

    @Test
    void should_reject_bad_settings_by_name() {
        assertThatThrownBy(() -> ShepherdDatabase.builder().jdbcUrl("postgres://x"))
                .hasMessageContaining("jdbcUrl must start with 'jdbc:'");
        assertThatThrownBy(() -> ShepherdDatabase.builder().schema("a; drop"))
                .hasMessageContaining("schema must be a plain SQL identifier");
        assertThatThrownBy(() -> ShepherdDatabase.builder().maxPoolSize(0)).hasMessageContaining("maxPoolSize");
        assertThatThrownBy(() -> ShepherdDatabase.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
