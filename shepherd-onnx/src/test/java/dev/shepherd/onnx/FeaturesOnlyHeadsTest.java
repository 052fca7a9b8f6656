package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.internal.HeadsGraph;
import dev.shepherd.onnx.training.HeadCandidate;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.Synthetic;
import dev.shepherd.onnx.training.TrainedPredictor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heads that ignore the embedding are served without running the encoder, with the same outputs. */
class FeaturesOnlyHeadsTest {

    @TempDir
    Path tmp;

    @Test
    void should_serve_features_only_heads_without_the_encoder_with_the_java_forward_pass_outputs() {
        // given: a features-only linear router and a network over the embedding, same data
        List<LabeledExample> examples = Synthetic.examples(80, 5);
        TrainedPredictor featuresOnly = PredictorTrainer.builder(SharedEncoder.get()).seed(5).crossValidationFolds(2)
                .candidates(List.of(HeadCandidate.linear("features-linear", false, 1))).build().train(examples);
        TrainedPredictor withEmbedding = PredictorTrainer.builder(SharedEncoder.get()).seed(5).maxEpochs(3).build()
                .train(examples);
        Path linear = featuresOnly.export(tmp.resolve("linear"));
        Path network = withEmbedding.export(tmp.resolve("network"));
        List<Query> queries = Synthetic.records(30, 77).stream().map(r -> Query.of(r.query())).toList();
        List<Features> none = Collections.nCopies(queries.size(), Features.none());

        // when
        List<HeadOutput> java = featuresOnly.headOutputs(queries, none);
        List<HeadOutput> served;
        HintPrediction alone;
        List<HintPrediction> batch;
        try (OnnxHintPredictor p = OnnxHintPredictor.load(linear,
                OnnxHintPredictor.Options.cpu().sharedEncoder(SharedEncoder.get()))) {
            served = p.headOutputs(queries, none);
            alone = p.predict(queries.get(4), Features.none());
            batch = p.predictAll(queries, none);
        }

        // then
        assertThat(HeadsGraph.ignoresEmbedding(linear.resolve(PredictorBundle.HEADS), 384)).isTrue();
        assertThat(HeadsGraph.ignoresEmbedding(network.resolve(PredictorBundle.HEADS), 384)).isFalse();
        for (int i = 0; i < queries.size(); i++) {
            assertThat(served.get(i).needLogit()).isCloseTo(java.get(i).needLogit(), within(1e-4));
            assertThat(served.get(i).logHintSize()).isCloseTo(java.get(i).logHintSize(), within(1e-4));
        }
        assertThat(batch.get(4).needProbability()).isCloseTo(alone.needProbability(), within(1e-6));
    }

    @Test
    void should_load_the_encoder_model_of_a_features_only_bundle_only_when_asked_to_encode() {
        // given
        TrainedPredictor featuresOnly = PredictorTrainer.builder(SharedEncoder.get()).seed(5).crossValidationFolds(2)
                .candidates(List.of(HeadCandidate.linear("features-linear", false, 1))).build()
                .train(Synthetic.examples(60, 7));
        Path linear = featuresOnly.export(tmp.resolve("linear"));
        String text = "Ana has 3 apples and buys 4 more. How many apples does she have?";

        // when: the bundle's own encoder, its model deferred
        HintPrediction p;
        float[] vector;
        try (OnnxHintPredictor predictor = OnnxHintPredictor.load(linear)) {
            p = predictor.predict(Query.of(text), Features.none());
            vector = predictor.encoder().encode(text).vector();
        }

        // then
        assertThat(p.needProbability()).isBetween(0.0, 1.0);
        float[] expected = SharedEncoder.get().encode(text).vector();
        for (int i = 0; i < expected.length; i++) {
            assertThat(vector[i]).isCloseTo(expected[i], offset(1e-5f));
        }
    }

    @Test
    void should_flag_a_truncated_query_without_running_the_encoder() {
        // given
        TrainedPredictor featuresOnly = PredictorTrainer.builder(SharedEncoder.get()).seed(5).crossValidationFolds(2)
                .candidates(List.of(HeadCandidate.linear("features-linear", false, 1))).build()
                .train(Synthetic.examples(60, 6));
        Path linear = featuresOnly.export(tmp.resolve("linear"));

        // when
        HintPrediction p;
        try (OnnxHintPredictor predictor = OnnxHintPredictor.load(linear,
                OnnxHintPredictor.Options.cpu().sharedEncoder(SharedEncoder.get()))) {
            p = predictor.predict(Query.of("apple ".repeat(400)), Features.none());
        }

        // then
        assertThat(p.queryTruncated()).isTrue();
    }
}
