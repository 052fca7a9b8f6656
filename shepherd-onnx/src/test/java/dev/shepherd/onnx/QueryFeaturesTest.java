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
    @Test
    void should_compute_the_same_features_without_patterns_on_random_text() {
        // given: fragments that exercise every pattern's edges (separators, boundaries, multi-word phrases)
        String[] parts = {"1", "23", "1,200", "1,2345", "3.5", "3.", ".5", "1/2", "12/34/56", "a1/2", "1/2b", "half",
            "Halves", "thirds", "quarter", "fifths", "halfway", "one", "Twenty", "twice", "oneself", "each", "every",
            "per", "percent", "PerCent", "per_", "more than", "less  than", "fewer than", "More Than", "thanks", "left",
            "after", "_", " ", "  ", "\t", "\n", "\r\n", "\u000b", "\f", "\u0001", "\u001c", ".", "?", "!", "?!",
            "...", ",", "$", "%", "/", "-", "x", "eggs", "'s", "(", ")",
            // inert non-ASCII (the one-pass path) and not inert (the patterns): letters, digits, marks, terminators
            "\u2019", "\u201c", "\u2014", "\u20ac", "\u00a3", "\u00a0", "\u2009", "\u2163", "\u00e9", "\u00df",
            "\u0661", "e\u0301", "\u0130", "\u0085", "\u2028", "\ud83c\udf4e", "\u00bd"};
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int n = 0; n < 10_000; n++) {
            StringBuilder b = new StringBuilder();
            int len = rng.nextInt(0, 25);
            for (int i = 0; i < len; i++) {
                b.append(parts[rng.nextInt(parts.length)]);
            }
            String t = b.toString();

            // then: compute() takes the one-pass path where it may, the patterns elsewhere; both agree
            assertThat(QueryFeatures.compute(t)).as("features of '%s'", t)
                    .isEqualTo(QueryFeatures.computeWithPatterns(t));
        }
    }

    @Test
    void should_compute_the_same_features_without_patterns_on_every_gsm8k_question() throws java.io.IOException {
        // given
        java.nio.file.Path root = java.nio.file.Path.of(System.getProperty("shepherd.shared", "../shared"), "data");
        java.util.List<String> questions = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String name : java.util.List.of("gsm8k_test.jsonl", "gsm8k_train.jsonl")) {
            java.nio.file.Path f = root.resolve(name);
            if (java.nio.file.Files.isRegularFile(f)) {
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    questions.add(json.readTree(line).get("question").asText());
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(questions.isEmpty(), "skipped: no GSM8K files under " + root);

        // then: compute() takes the fast path on ASCII and the patterns otherwise; both agree with the patterns
        for (String q : questions) {
            assertThat(QueryFeatures.compute(q)).as("features of '%s'", q)
                    .isEqualTo(QueryFeatures.computeWithPatterns(q));
        }
    }
}
