package dev.shepherd.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.testing.ScriptedGenerator;
import org.junit.jupiter.api.Test;

class TiersTest {

    private final ScriptedGenerator a = ScriptedGenerator.replying("a", "x");
    private final ScriptedGenerator b = ScriptedGenerator.replying("b", "x");
    private final ScriptedGenerator c = ScriptedGenerator.replying("c", "x");

    @Test
    void should_keep_the_tiers_cheapest_first_with_the_ends_as_small_and_large() {
        // when
        Tiers t = Tiers.builder().tier("local", a, TokenPrices.free()).tier("mid", b, TokenPrices.perMillion(1, 2))
                .tier("top", c, TokenPrices.perMillion(3, 4)).build();

        // then
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.bottom().model()).isSameAs(a);
        assertThat(t.top().name()).isEqualTo("top");
        assertThat(t.indexOf("mid")).isEqualTo(1);
        assertThat(t.endsCostModel().prices(ModelRole.LARGE)).isEqualTo(TokenPrices.perMillion(3, 4));
        assertThat(Tiers.roleOf(1)).isEqualTo(ModelRole.LARGE);
    }

    @Test
    void should_fail_fast_on_a_bad_ladder() {
        assertThatThrownBy(() -> Tiers.builder().tier("only", a, TokenPrices.free()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Tiers.builder().tier("x", a, TokenPrices.free()).tier("x", b, TokenPrices.free()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
        assertThatThrownBy(() -> Tiers.builder().tier("s", a, TokenPrices.free()).tier("large", b, TokenPrices.free())
                .tier("t", c, TokenPrices.free()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Tier.of(" ", a, TokenPrices.free())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TierPredictor.constant(0.5, 1.2)).isInstanceOf(IllegalArgumentException.class);
    }
}
