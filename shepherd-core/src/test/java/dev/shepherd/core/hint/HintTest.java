package dev.shepherd.core.hint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.prompt.PromptTemplate;
import dev.shepherd.core.testing.ScriptedGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HintTest {

    @Test
    void should_reject_negative_hint_tokens_everywhere() {
        assertThatThrownBy(() -> new Hint("x", -1, null)).hasMessage("tokens must be >= 0 but was -1");
        assertThatThrownBy(() -> Decision.hint(-3)).hasMessageContaining("-3");
        assertThatThrownBy(() -> Decision.hint(0)).hasMessageContaining("0");
        HintProvider provider = HintProvider.prefixOf(ScriptedGenerator.replying("l", "a"), PromptTemplate.chat());
        assertThatThrownBy(() -> provider.hint(Query.of("q"), -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTokens must be > 0 but was -5");
    }

    @Test
    void should_buy_the_first_n_tokens_of_the_large_answer_greedily() {
        // given
        ScriptedGenerator large = ScriptedGenerator.replying("l", "one two three four five");
        HintProvider provider = HintProvider.prefixOf(large, PromptTemplate.paper("Solve."));

        // when
        Hint hint = provider.hint(Query.of("id", "2+2?", "4"), 3);

        // then
        assertThat(hint.text()).isEqualTo("one two three");
        assertThat(hint.tokens()).isEqualTo(3);
        assertThat(hint.source().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(large.lastRequest().maxOutputTokens()).isEqualTo(3);
        assertThat(large.lastRequest().sampling()).isEqualTo(Sampling.GREEDY);
        assertThat(large.lastRequest().messages().get(0).text()).isEqualTo("Instruction: Solve.\nQuestion: 2+2?");
        assertThat(provider.name()).isEqualTo("l");
    }

    @Test
    void should_name_the_large_model_when_it_returns_nothing() {
        HintProvider provider = HintProvider.prefixOf(ScriptedGenerator.completing("big", r -> null),
                PromptTemplate.chat());
        assertThatThrownBy(() -> provider.hint(Query.of("q"), 2))
                .isInstanceOf(ModelCallException.class).hasMessageContaining("'big'");
    }

    @Test
    void should_hold_finite_named_features() {
        Features f = Features.of(Features.MEAN_ENTROPY, 0.4).with(Features.MEAN_OUTPUT_LENGTH, 120);
        assertThat(f.get(Features.MEAN_ENTROPY)).hasValue(0.4);
        assertThat(f.get("absent")).isEmpty();
        assertThat(f.asMap()).containsOnlyKeys(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);
        assertThat(f).isEqualTo(Features.of(Map.of(Features.MEAN_ENTROPY, 0.4, Features.MEAN_OUTPUT_LENGTH, 120.0)));
        assertThat(Features.none().asMap()).isEmpty();
        assertThatThrownBy(() -> Features.of("x", Double.NaN)).hasMessage("feature 'x' must be finite but was NaN");
    }

    @Test
    void should_predict_in_batches_with_matching_sizes_only() {
        HintPredictor p = HintPredictor.constant(0.5, 3);
        assertThat(p.predictAll(List.of(Query.of("a"), Query.of("b")), List.of(Features.none(), Features.none())))
                .hasSize(2).allSatisfy(x -> assertThat(x).isEqualTo(HintPrediction.of(0.5, 3)));
        assertThatThrownBy(() -> p.predictAll(List.of(Query.of("a")), List.of()))
                .hasMessageContaining("same size");
        assertThat(p.requiredFeatures()).isEmpty();
    }
}
