package dev.shepherd.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfidenceParserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "#### 4\\nConfidence: 0.85           | 0.85",
            "#### 4\\nConfidence: .85            | 0.85",
            "#### 4\\nconfidence = 85%           | 0.85",
            "#### 4\\nCONFIDENCE: 85/100         | 0.85",
            "#### 4\\nConfidence: 8.5/10         | 0.85",
            "#### 4\\nConfidence: 85             | 0.85",
            "#### 4\\nConfidence: 1              | 1.0",
            "#### 4\\nConfidence: 0              | 0.0",
            "#### 4\\nConfidence: 100            | 1.0",
            "#### 4\\n**Confidence:** 0.7        | 0.7",
            "#### 4\\nConfidence level: high     | 0.85",
            "#### 4\\nConfidence: very high      | 0.95",
            "#### 4\\nConfidence: Medium         | 0.6",
            "#### 4\\nConfidence: moderate       | 0.6",
            "#### 4\\nConfidence: low            | 0.3",
            "#### 4\\nConfidence: very low (0.9) | 0.1",
            "#### 4\\nConfidence:\\n\\n 0.65     | 0.65",
            "Confidence: 0.2 at first.\\n#### 4\\nConfidence: 0.9 | 0.9",
            "The answer is 4. Confidence: 0.75, I checked twice. | 0.75",
            "Confidence: 0.6 despite some overconfidence: 0.99 | 0.6",
    })
    void should_parse_the_last_stated_confidence(String response, double expected) {
        assertThat(ConfidenceParser.parse(response.replace("\\n", "\n")).getAsDouble()).isCloseTo(expected, within(1e-12));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"#### 4", "#### 4\nConfidence:", "#### 4\nConfidence: 150", "#### 4\nConfidence: 3/0",
            "#### 4\nConfidence: 12/10", "#### 4\nConfidence: unsure", "#### 4\nConfidence: 0.9\nConfidence: none"})
    void should_report_an_unparseable_confidence_as_empty(String response) {
        assertThat(ConfidenceParser.parse(response)).isEmpty();
    }

    @Test
    void should_strip_the_confidence_line_and_keep_the_answer() {
        assertThat(ConfidenceParser.strip("Work.\n#### 4\nConfidence: 0.9\n")).isEqualTo("Work.\n#### 4");
        assertThat(ConfidenceParser.strip("Work.\n#### 4\n**Confidence:** 0.9")).isEqualTo("Work.\n#### 4");
        assertThat(ConfidenceParser.strip("The answer is 4. Confidence: 0.75")).isEqualTo("The answer is 4.");
        assertThat(ConfidenceParser.strip("#### 4\nConfidence:\n0.8\nThanks")).isEqualTo("#### 4\nThanks");
        assertThat(ConfidenceParser.strip("Confidence: 0.3")).isEmpty();
        assertThat(ConfidenceParser.strip("#### 4")).isEqualTo("#### 4");
        assertThat(ConfidenceParser.strip(null)).isNull();
    }

    @Test
    void should_parse_what_it_strips_so_the_answer_keeps_no_confidence() {
        String response = "#### 4\nConfidence: 0.9";
        assertThat(ConfidenceParser.parse(ConfidenceParser.strip(response))).isEmpty();
    }
}
