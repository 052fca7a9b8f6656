package dev.shepherd.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Query;
import org.junit.jupiter.api.Test;

class QualityFunctionTest {

    private final QualityFunction phi = QualityFunction.exactMatch(AnswerExtractor.math());

    @Test
    void should_score_one_when_the_extracted_answers_match() {
        assertThat(phi.score(Query.of("a", "q", "#### 1,000"), "so it is 1000.0")).isEqualTo(1.0);
        assertThat(phi.score(Query.of("a", "q", "72"), "#### 72")).isEqualTo(1.0);
    }

    @Test
    void should_score_zero_on_a_wrong_or_missing_answer() {
        assertThat(phi.score(Query.of("a", "q", "72"), "#### 71")).isZero();
        assertThat(phi.score(Query.of("a", "q", "72"), "no idea")).isZero();
    }

    @Test
    void should_reject_a_query_without_gold_naming_it() {
        assertThatThrownBy(() -> phi.score(Query.of("id-9", "q", null), "#### 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id-9'");
    }
}
