package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.onnx.EncodedText;
import dev.shepherd.onnx.SharedEncoder;
import dev.shepherd.onnx.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    /** Labels follow the number of words (plus noise); the "embeddings" are pure noise. */
    static EncodedExamples noiseEmbeddings(int n, long seed) {
        TextEncoder enc = SharedEncoder.get();
        SplittableRandom rng = new SplittableRandom(seed);
        List<LabeledExample> ex = new ArrayList<>();
        List<EncodedText> vec = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int words = 5 + rng.nextInt(40);
            StringBuilder q = new StringBuilder("How many");
            for (int w = 0; w < words; w++) {
                q.append(" word");
            }
            boolean hard = words + rng.nextGaussian() * 6 > 25;
            ex.add(LabeledExample.of("n-" + i, q.append('?').toString(), hard ? 3 : 0));
            float[] v = new float[enc.dimension()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) rng.nextGaussian();
            }
            vec.add(new EncodedText(v, 12, false));
        }
        return new EncodedExamples(enc.id(), ex, vec);
    }

    @Test
    void should_pick_a_features_only_model_when_the_embedding_is_noise() {
        // given
        EncodedExamples data = noiseEmbeddings(240, 5);

        // when
        TrainedPredictor p = PredictorTrainer.builder(SharedEncoder.get()).lambda(1).seed(9).maxEpochs(30).crossValidationFolds(5)
                .candidates(List.of(HeadCandidate.linear("features-linear", false, 1),
                        HeadCandidate.network("embedding-wide", 64, 16, 0.1, 0.01, 1e-3)))
                .build().train(data);

        // then
        ModelSelection s = p.modelSelection();
        assertThat(s.folds()).isEqualTo(5);
        assertThat(s.chosen().useEmbedding()).isFalse();
        assertThat(s.candidates().get(0).meanAuc()).isGreaterThan(s.candidates().get(1).meanAuc());
        assertThat(s.outOfFoldScores()).hasSize(p.validationMetrics().trainExamples());
        assertThat(p.validationMetrics().rocAuc()).isGreaterThanOrEqualTo(s.bestFeatureAuc());
    }

    @Test
    void should_choose_the_same_model_for_the_same_seed() {
        EncodedExamples data = noiseEmbeddings(120, 6);
        PredictorTrainer t = PredictorTrainer.builder(SharedEncoder.get()).lambda(1).seed(4).maxEpochs(10)
                .crossValidationFolds(5).build();
        TrainedPredictor a = t.train(data);
        TrainedPredictor b = t.train(data);
        assertThat(a.modelSelection().candidates()).isEqualTo(b.modelSelection().candidates());
        assertThat(a.weights().wy()).containsExactly(b.weights().wy());
    }

    @Test
    void should_learn_the_label_through_the_recorded_answer_length() {
        // given: the large model's answer length follows the word count; the label follows the answer length
        EncodedExamples base = noiseEmbeddings(300, 5);
        SplittableRandom rng = new SplittableRandom(9);
        List<LabeledExample> ex = new ArrayList<>();
        for (LabeledExample e : base.examples()) {
            ex.add(e.withLargeAnswerTokens(Math.max(1, 10 * e.query().split(" ").length + 20 * rng.nextGaussian())));
        }
        EncodedExamples data = new EncodedExamples(base.encoderId(), ex,
                java.util.stream.IntStream.range(0, ex.size()).mapToObj(base::encoded).toList());

        // when
        TrainedPredictor p = PredictorTrainer.builder(SharedEncoder.get()).lambda(1).crossValidationFolds(5)
                .candidates(List.of(HeadCandidate.answerLength("answer-length", 1))).build().train(data);

        // then: the two-stage model ranks as well as the best single feature, within noise, and is linear
        assertThat(p.modelSelection().chosen().kind()).isEqualTo(HeadCandidate.Kind.ANSWER_LENGTH);
        assertThat(p.validationMetrics().rocAuc()).isGreaterThan(0.75);
        assertThat(p.weights().hidden()).isEqualTo(1);
    }

    @Test
    void should_skip_the_answer_length_candidate_without_recorded_answers_and_keep_the_simplest_within_one_se() {
        // when
        TrainedPredictor p = PredictorTrainer.builder(SharedEncoder.get()).lambda(1).crossValidationFolds(5)
                .candidates(List.of(HeadCandidate.answerLength("answer-length", 1),
                        HeadCandidate.linear("features-linear", false, 1),
                        HeadCandidate.linear("features-linear-weak", false, 0.1)))
                .build().train(noiseEmbeddings(300, 11));

        // then
        ModelSelection s = p.modelSelection();
        assertThat(s.candidates().get(0).meanAuc()).isNaN();
        double best = Math.max(s.candidates().get(1).meanAuc(), s.candidates().get(2).meanAuc());
        ModelSelection.Scored top = s.candidates().get(1).meanAuc() >= s.candidates().get(2).meanAuc()
                ? s.candidates().get(1) : s.candidates().get(2);
        // one-standard-error rule: the simpler linear model is kept when it is within one SE of the best
        if (s.candidates().get(1).meanAuc() >= best - top.standardError()) {
            assertThat(s.chosen().name()).isEqualTo("features-linear");
        } else {
            assertThat(s.chosen().name()).isEqualTo("features-linear-weak");
        }
        assertThat(top.standardError()).isPositive();
    }
}
