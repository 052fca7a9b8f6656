package dev.shepherd.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HoldoutSplitTest {

    @Test
    void should_split_by_the_hash_of_the_id_whatever_the_order() {
        // given
        List<TraceRecord> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(new TraceRecord("q" + i, "x", null, Map.of("a", Response.of("", true)), 0));
        }
        Trace trace = new Trace("t", List.of("a"), records);
        HoldoutSplit half = new HoldoutSplit(0.5);
        // when
        Trace test = trace.part(half, HoldoutSplit.Part.TEST);
        Trace train = trace.part(half, HoldoutSplit.Part.TRAIN);
        List<TraceRecord> reversed = new ArrayList<>(records);
        java.util.Collections.reverse(reversed);
        Trace testOfReversed = trace.withRecords(reversed).part(half, HoldoutSplit.Part.TEST);
        // then: disjoint, complete, about half, independent of order
        assertThat(test.size() + train.size()).isEqualTo(2000);
        assertThat(test.size()).isBetween(900, 1100);
        assertThat(test.records()).doesNotContainAnyElementsOf(train.records());
        assertThat(testOfReversed.records()).containsExactlyInAnyOrderElementsOf(test.records());
    }

    @Test
    void should_be_stable_across_versions() {
        // the unit value is part of the format: the same id must land on the same side on every machine
        assertThat(HoldoutSplit.unit("q1")).isEqualTo(HoldoutSplit.unit("q1")).isBetween(0.0, 1.0);
        assertThat(new HoldoutSplit(0.5).partOf("routellm-2")).isEqualTo(
                HoldoutSplit.unit("routellm-2") < 0.5 ? HoldoutSplit.Part.TEST : HoldoutSplit.Part.TRAIN);
        // SHA-256("q1") = 0xc75d8c1b...: 0xc75d / 0x10000 ≈ 0.7788
        assertThat(HoldoutSplit.unit("q1")).isCloseTo(0.7788, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void should_reject_fractions_outside_zero_one_and_unknown_parts() {
        assertThatThrownBy(() -> new HoldoutSplit(1)).hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> HoldoutSplit.Part.parse("dev")).hasMessageContaining("train or test");
        assertThat(HoldoutSplit.Part.parse(" Test ")).isEqualTo(HoldoutSplit.Part.TEST);
    }
}
