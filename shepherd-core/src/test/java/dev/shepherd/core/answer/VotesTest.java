package dev.shepherd.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VotesTest {

    @Test
    void should_count_the_most_frequent_answer_and_its_first_sample() {
        // when
        Votes v = Votes.count(List.of(Optional.of("4"), Optional.of("5"), Optional.empty(), Optional.of("5")));

        // then
        assertThat(v.answer()).contains("5");
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.samples()).isEqualTo(4);
        assertThat(v.firstIndex()).isEqualTo(1);
        assertThat(v.agree(2)).isTrue();
        assertThat(v.agree(3)).isFalse();
    }

    @Test
    void should_never_agree_on_missing_answers() {
        Votes v = Votes.count(List.of(Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(v.answer()).isEmpty();
        assertThat(v.count()).isZero();
        assertThat(v.agree(1)).isFalse();
    }

    @Test
    void should_break_ties_towards_the_answer_that_reached_the_count_first() {
        Votes v = Votes.count(List.of(Optional.of("a"), Optional.of("b")));
        assertThat(v.answer()).contains("a");
        assertThat(v.firstIndex()).isZero();
    }
}
