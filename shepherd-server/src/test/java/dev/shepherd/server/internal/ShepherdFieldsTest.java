package dev.shepherd.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShepherdFieldsTest {

    @ParameterizedTest
    @CsvSource({"0, 0.0", "1, 1.0", "0.5, 0.5", "0.000012, 0.000012", "0.0000000004, 0.0", "0.0000000005, 0.000000001",
            "12.3456789012, 12.345678901", "-0.25, -0.25", "1e20, 100000000000000000000.0"})
    void should_write_dollars_to_nine_decimals_without_trailing_zeros(double usd, String expected) {
        assertThat(ShepherdFields.usd(usd)).isEqualTo(expected);
    }

    @Test
    void should_write_dollars_as_the_formatted_and_trimmed_value_did() {
        // given: the former String.format("%.9f") and regex trimming
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            double d = switch (i % 4) {
                case 0 -> random.nextDouble() * 1e-3;
                case 1 -> random.nextDouble();
                case 2 -> Math.round(random.nextDouble() * 1e6) / 1e9; // exactly representable in 9 decimals
                default -> random.nextDouble() * 1e4;
            };
            String formatted = String.format(Locale.ROOT, "%.9f", d).replaceAll("0+$", "").replaceAll("\\.$", ".0");
            // then
            assertThat(ShepherdFields.usd(d)).as("%s", d).isEqualTo(formatted);
        }
    }
}
