package dev.shepherd.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenPricesTest {

    @Test
    void should_price_tokens_per_million() {
        assertThat(TokenPrices.paperLlama70b().cost(1_000_000, 2_000_000)).isCloseTo(0.59 + 2 * 0.79, within(1e-12));
        assertThat(TokenPrices.perMillion(1, 2).cost(100, 10)).isCloseTo(0.00012, within(1e-15));
        assertThat(TokenPrices.free().cost(10_000, 10_000)).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, -0.01, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void should_reject_nan_negative_or_infinite_prices_naming_the_field(double bad) {
        assertThatThrownBy(() -> TokenPrices.perMillion(bad, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputPerMillion must be finite and >= 0 but was " + bad);
        assertThatThrownBy(() -> TokenPrices.perMillion(1, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("outputPerMillion");
    }
}
