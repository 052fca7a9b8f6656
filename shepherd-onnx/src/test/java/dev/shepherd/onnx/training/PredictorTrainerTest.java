package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.hint.Features;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.SharedEncoder;
import dev.shepherd.onnx.ValidationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PredictorTrainerTest {

    static EncodedExamples data;

    @BeforeAll
    static void encode() {
        data = PredictorTrainer.builder(SharedEncoder.get()).build().encode(Synthetic.examples(60, 5));
    }

    static PredictorTrainer trainer(long seed) {
        return PredictorTrainer.builder(SharedEncoder.get()).seed(seed).maxEpochs(15).build();
    }

    @Test
    void should_give_identical_weights_for_the_same_seed() {
        // when
        TrainedPredictor a = trainer(11).train(data);
        TrainedPredictor b = trainer(11).train(data);

        // then
        assertThat(a.weights().w1()).containsExactly(b.weights().w1());
        assertThat(a.weights().wy()).containsExactly(b.weights().wy());
        assertThat(a.validationMetrics()).isEqualTo(b.validationMetrics());
    }

    @Test
    void should_give_different_weights_for_another_seed() {
        // when
        TrainedPredictor a = trainer(11).train(data);
        TrainedPredictor b = trainer(12).train(data);

        // then
        assertThat(a.weights().w1()).isNotEqualTo(b.weights().w1());
    }

    @Test
    void should_learn_the_need_and_the_size_of_hints() {
        // when
        TrainedPredictor p = PredictorTrainer.builder(SharedEncoder.get()).seed(1).build().train(data);

        // then
        ValidationMetrics m = p.validationMetrics();
        assertThat(m.rocAuc()).isGreaterThan(0.9);
        assertThat(m.sizeMae()).isLessThan(1.0);
        assertThat(m.trainExamples() + m.validationExamples()).isEqualTo(60);
        assertThat(m.validationExamples()).isEqualTo(12);
        assertThat(p.validationIds()).hasSize(12);
        assertThat(m.bestEpoch()).isBetween(1, m.epochs());
    }

    @Test
    void should_reject_an_empty_training_set() {
        assertThatThrownBy(() -> trainer(1).train(List.of()))
                .isInstanceOf(DataFormatException.class).isInstanceOf(ShepherdException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void should_reject_a_single_class_training_set() {
        // given
        List<LabeledExample> allNeedHints = Synthetic.examples(20, 2).stream().filter(LabeledExample::needsHint).toList();

        // when / then
        assertThatThrownBy(() -> trainer(1).train(allNeedHints))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("single class")
                .hasMessageContaining("n_star > 0");
    }

    @Test
    void should_name_the_example_with_a_nan_feature() {
        // given
        List<LabeledExample> examples = new ArrayList<>(Synthetic.examples(10, 2));
        examples.add(new LabeledExample("bad-7", "What is 7 + 7?", Map.of(Features.MEAN_ENTROPY, Double.NaN), 0));

        // when / then
        assertThatThrownBy(() -> PredictorTrainer.builder(SharedEncoder.get())
                .featureNames(List.of(Features.QUERY_LENGTH, Features.MEAN_ENTROPY)).build().train(examples))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("bad-7").hasMessageContaining("NaN");
    }

    @Test
    void should_name_a_feature_missing_from_an_example() {
        // given
        List<LabeledExample> examples = List.of(LabeledExample.of("a", "What is 1 + 1?", 0),
                LabeledExample.of("b", "A long and winding multi-step question?", 30));

        // when / then
        assertThatThrownBy(() -> PredictorTrainer.builder(SharedEncoder.get())
                .featureNames(List.of(Features.QUERY_LENGTH, Features.MEAN_ENTROPY)).build().train(examples))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("'mean_entropy'");
    }

    @Test
    void should_reject_bad_settings_naming_field_and_value() {
        PredictorTrainer.Builder b = PredictorTrainer.builder(SharedEncoder.get());
        assertThatThrownBy(() -> b.lambda(1.5)).hasMessageContaining("lambda").hasMessageContaining("1.5");
        assertThatThrownBy(() -> b.featureNames(List.of())).hasMessageContaining("featureNames");
        assertThatThrownBy(() -> b.validationFraction(-0.1)).hasMessageContaining("validationFraction");
    }
}
