package dev.shepherd.core.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void should_escape_quotes_backslashes_and_control_characters() {
        assertThat(Json.quote("a\"b\\c\nd\te\u0001\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"");
        assertThat(Json.quote(null)).isEqualTo("null");
    }

    @Test
    void should_write_numbers_without_nan_or_infinity() {
        assertThat(Json.number(3.0)).isEqualTo("3");
        assertThat(Json.number(0.25)).isEqualTo("0.25");
        assertThat(Json.number(1.5e-5)).isEqualTo("1.5E-5");
        assertThat(Json.number(Double.NaN)).isEqualTo("null");
        assertThat(Json.number(Double.POSITIVE_INFINITY)).isEqualTo("null");
    }
}
