package dev.shepherd.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AnswerExtractorTest {

    private final AnswerExtractor math = AnswerExtractor.math();
    private final AnswerExtractor code = AnswerExtractor.code();

    static Stream<Arguments> mathAnswers() {
        return Stream.of(
                arguments("Natalia sold 48 + 24 = 72 clips.\n#### 72", "72"),
                arguments("#### 1,000", "1000"),
                arguments("The total is 5.\n#### 18.0", "18"),
                arguments("It costs 3 dollars.\n#### $18", "18"),
                arguments("#### 50%", "50"),
                arguments("So the answer is \\boxed{42}. Check: 40 + 2 = 42 + 0", "42"),
                arguments("Hence \\boxed{\\frac{3}{4}} of the pie.", "3/4"),
                arguments("Hence \\boxed{\\dfrac{10}{4}}", "10/4"),
                arguments("First 3 apples then 4 more, so 7 in all", "7"),
                arguments("The answer is 12. (Check: 3 * 4 = 12, so 12 + 1 = 13.)", "12"),
                arguments("#### −5", "-5"),
                arguments("#### 0.50", "0.5"),
                arguments("#### 12,345.60", "12345.6"),
                arguments("Step: 2 + 2 = 4.\n#### 4\n\nsome trailing words 99", "4"),
                arguments("\\boxed{x = 2} and later 7", "2"),
                arguments("#### seven", "seven"),
                arguments("\\boxed{\\text{Tuesday}}", "tuesday"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("mathAnswers")
    void should_extract_the_final_math_answer(String response, String expected) {
        assertThat(math.extract(response)).contains(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "I do not know the answer.", "no digits here, sorry"})
    void should_find_no_math_answer_when_none_is_stated(String response) {
        assertThat(math.extract(response)).isEmpty();
    }

    @Test
    void should_throw_a_typed_exception_naming_the_response_when_no_final_answer_exists() {
        assertThatThrownBy(() -> math.extractOrThrow("I give up"))
                .isInstanceOf(AnswerNotFoundException.class)
                .hasMessage("no final answer found in response: 'I give up'");
        assertThatThrownBy(() -> math.extractOrThrow(null))
                .isInstanceOf(AnswerNotFoundException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> math.extractOrThrow("x".repeat(200)))
                .hasMessageContaining("...").hasMessageNotContaining("x".repeat(81));
        assertThat(math.extractOrThrow("#### 3")).isEqualTo("3");
    }

    @Test
    void should_treat_equal_numbers_written_differently_as_the_same_answer() {
        assertThat(math.extract("#### 1,000.00")).isEqualTo(math.extract("so the answer is $1000"));
        assertThat(math.extract("#### 18")).isEqualTo(math.extract("\\boxed{18.0}"));
    }

    @Test
    void should_extract_code_from_the_last_fenced_block() {
        // given
        String response = "Here is a draft:\n```python\ndef f():\n    return 0\n```\nBetter:\n"
                + "```python\ndef f(x):\n    return x + 1\n```\nDone.";

        // when / then
        assertThat(code.extract(response)).contains("def f(x):\n    return x + 1");
    }

    @Test
    void should_extract_code_from_a_fence_without_language_or_an_unterminated_one() {
        assertThat(code.extract("```\nprint(1)\n```")).contains("print(1)");
        assertThat(code.extract("Code:\n```py\nprint(2)\n")).contains("print(2)");
        assertThat(code.extract("def g(): pass")).contains("def g(): pass");
        assertThat(code.extract("```python\n```")).isEmpty();
        assertThat(code.extract(" ")).isEmpty();
        assertThat(code.extract(null)).isEmpty();
    }

    @Test
    void should_normalise_free_text_by_whitespace_and_case() {
        AnswerExtractor text = AnswerExtractor.normalizedText();
        assertThat(text.extract("  Paris\n is  the Capital ")).contains("paris is the capital");
        assertThat(text.extract("\n")).isEqualTo(Optional.empty());
    }
}
