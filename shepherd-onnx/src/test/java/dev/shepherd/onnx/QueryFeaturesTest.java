package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.hint.Features;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryFeaturesTest {

    static final String QUESTION = "Janet has 1,200 eggs and sells 3/4 of them at $2.50 each. "
            + "She keeps 20 % for herself. How many eggs are left? What does she earn?";

    @Test
    void should_compute_the_cheap_features_of_a_known_question() {
        // when
        Map<String, Double> f = QueryFeatures.compute(QUESTION);

        // then
        assertThat(f.keySet()).containsExactlyElementsOf(QueryFeatures.ALL);
        assertThat(f.get(QueryFeatures.CHARS)).isEqualTo(QUESTION.length());
        assertThat(f.get(QueryFeatures.WORDS)).isEqualTo(QUESTION.split("\\s+").length);
        // 1,200 | 3 | 4 | 2.50 | 20
        assertThat(f.get(QueryFeatures.NUMBERS)).isEqualTo(5);
        assertThat(f.get(QueryFeatures.DISTINCT_NUMBERS)).isEqualTo(5);
        assertThat(f.get(QueryFeatures.MAX_DIGITS)).isEqualTo(4);
        assertThat(f.get(QueryFeatures.DECIMALS)).isEqualTo(1);
        assertThat(f.get(QueryFeatures.LOG_NUMBER_MAX)).isCloseTo(Math.log10(1201), within(1e-12));
        assertThat(f.get(QueryFeatures.SENTENCES)).isEqualTo(4);
        assertThat(f.get(QueryFeatures.QUESTION_MARKS)).isEqualTo(2);
        assertThat(f.get(QueryFeatures.HAS_PERCENT)).isEqualTo(1);
        assertThat(f.get(QueryFeatures.HAS_CURRENCY)).isEqualTo(1);
        assertThat(f.get(QueryFeatures.FRACTIONS)).isEqualTo(1);
        // each, left
        assertThat(f.get(QueryFeatures.QUANTITY_WORDS)).isEqualTo(2);
        long digits = QUESTION.chars().filter(Character::isDigit).count();
        assertThat(f.get(QueryFeatures.DIGIT_SHARE)).isCloseTo(digits / (double) QUESTION.length(), within(1e-12));
    }

    @Test
    void should_give_finite_zeros_for_a_text_without_numbers() {
        Map<String, Double> f = QueryFeatures.compute("   ");
        assertThat(f.values()).allMatch(Double::isFinite);
        assertThat(f.get(QueryFeatures.NUMBERS)).isZero();
        assertThat(f.get(QueryFeatures.LOG_NUMBER_MAX)).isZero();
        assertThat(f.get(QueryFeatures.WORDS)).isZero();
    }

    @Test
    void should_treat_query_length_and_the_cheap_features_as_computed_but_not_reactive_ones() {
        assertThat(QueryFeatures.isComputed(Features.QUERY_LENGTH)).isTrue();
        assertThat(QueryFeatures.isComputed(QueryFeatures.WORDS)).isTrue();
        assertThat(QueryFeatures.isComputed(Features.MEAN_ENTROPY)).isFalse();
        assertThat(QueryFeatures.callerSupplied(java.util.List.of(Features.QUERY_LENGTH, QueryFeatures.CHARS,
                Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH)))
                .containsExactly(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);
    }
}
