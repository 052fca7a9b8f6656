package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.training.HeadCandidate;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.Synthetic;
import dev.shepherd.onnx.training.TrainedPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxHintPredictorTest {

    static final List<String> REACTIVE = List.of(Features.QUERY_LENGTH, Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);

    @TempDir
    static Path shared;

    static TrainedPredictor trained;
    static Path bundle;
    static List<LabelRecord> heldOut;
    static OnnxHintPredictor loaded;

    @BeforeAll
    static void trainAndExport() {
        trained = PredictorTrainer.builder(SharedEncoder.get()).featureNames(REACTIVE).seed(3).maxEpochs(30).build()
                .train(Synthetic.examples(80, 1));
        bundle = trained.export(shared.resolve("bundle"));
        heldOut = Synthetic.records(40, 99);
        loaded = OnnxHintPredictor.load(bundle);
    }

    @AfterAll
    static void close() {
        loaded.close();
    }

    static Features features(LabelRecord r) {
        return Features.of(Map.of(Features.MEAN_ENTROPY, r.features().get("mean_entropy"),
                Features.MEAN_OUTPUT_LENGTH, r.features().get("mean_output_length")));
    }

    @Test
    void should_agree_with_the_java_forward_pass_within_1e_5() {
        // given
        List<Query> queries = heldOut.stream().map(r -> Query.of(r.id(), r.query(), null)).toList();
        List<Features> feats = heldOut.stream().map(OnnxHintPredictorTest::features).toList();

        OnnxHintPredictor onnx = loaded;
        // when
        List<HeadOutput> java = trained.headOutputs(queries, feats);
        List<HeadOutput> ort = onnx.headOutputs(queries, feats);

        // then
        for (int i = 0; i < queries.size(); i++) {
            assertThat(ort.get(i).needLogit()).isCloseTo(java.get(i).needLogit(), within(1e-5));
            assertThat(ort.get(i).logHintSize()).isCloseTo(java.get(i).logHintSize(), within(1e-5));
        }
    }

    @Test
    void should_round_trip_the_cheap_query_features_through_the_bundle() {
        // given: a linear model (exact, any feature weight counts) and a network, both on the default features
        List<Query> queries = heldOut.stream().map(r -> Query.of(r.id(), r.query(), null)).toList();
        List<Features> none = queries.stream().map(q -> Features.none()).toList();
        for (HeadCandidate c : List.of(HeadCandidate.linear("features-linear", false, 1),
                HeadCandidate.network("net", 16, 8, 0.1, 0.01, 1e-3), HeadCandidate.singleFeature())) {
            TrainedPredictor t = PredictorTrainer.builder(SharedEncoder.get()).seed(5).maxEpochs(5)
                    .crossValidationFolds(2).candidates(List.of(c)).build().train(Synthetic.examples(60, 2));
            assertThat(t.metadata().featureNames()).containsExactlyElementsOf(QueryFeatures.DEFAULT);
            assertThat(t.requiredFeatures()).isEmpty();
            Path dir = t.export(shared.resolve("bundle-" + c.name()));

            // when
            try (OnnxHintPredictor p = OnnxHintPredictor.load(dir)) {
                List<HeadOutput> java = t.headOutputs(queries, none);
                List<HeadOutput> ort = p.headOutputs(queries, none);

                // then
                assertThat(p.metadata().featureNames()).containsExactlyElementsOf(QueryFeatures.DEFAULT);
                assertThat(p.requiredFeatures()).isEmpty();
                for (int i = 0; i < queries.size(); i++) {
                    assertThat(ort.get(i).needLogit()).isCloseTo(java.get(i).needLogit(), within(1e-4));
                    assertThat(ort.get(i).logHintSize()).isCloseTo(java.get(i).logHintSize(), within(1e-4));
                }
            }
        }
    }

    @Test
    void should_separate_queries_that_need_hints_from_those_that_do_not() {
        // given
        OnnxHintPredictor onnx = loaded;
        List<Query> queries = heldOut.stream().map(r -> Query.of(r.id(), r.query(), null)).toList();

        // when
        List<HintPrediction> p = onnx.predictAll(queries, heldOut.stream().map(OnnxHintPredictorTest::features).toList());

        // then
        double hard = 0;
        double easy = 0;
        for (int i = 0; i < p.size(); i++) {
            if (heldOut.get(i).nStar() > 0) {
                hard += p.get(i).needProbability();
                assertThat(p.get(i).hintTokens()).isBetween(10.0, 1000.0);
            } else {
                easy += p.get(i).needProbability();
            }
        }
        assertThat(hard / 20).isGreaterThan(0.8);
        assertThat(easy / 20).isLessThan(0.2);
        assertThat(trained.validationMetrics().rocAuc()).isGreaterThan(0.9);
    }

    @Test
    void should_give_the_same_prediction_alone_and_in_a_batch() {
        OnnxHintPredictor onnx = loaded;
        // given
        LabelRecord r = heldOut.get(3);
        List<Query> batch = new ArrayList<>();
        List<Features> feats = new ArrayList<>();
        for (LabelRecord x : heldOut.subList(0, 10)) {
            batch.add(Query.of(x.query()));
            feats.add(features(x));
        }

        // when
        HintPrediction alone = onnx.predict(Query.of(r.query()), features(r));
        HintPrediction inBatch = onnx.predictAll(batch, feats).get(3);

        // then
        assertThat(inBatch.needProbability()).isCloseTo(alone.needProbability(), within(1e-4));
        assertThat(inBatch.hintTokens()).isCloseTo(alone.hintTokens(), within(1e-2 * (1 + alone.hintTokens())));
    }

    @Test
    void should_apply_the_calibrated_rule_on_load_and_say_where_each_rule_comes_from() {
        // given: the bundle as trained, and a copy with a calibrated rule for reactive shepherding
        Path dir = trained.export(shared.resolve("calibrated"));
        HintDecisionRule chosen = new HintDecisionRule(0.37, 24, 512, 1.5);
        PredictorBundle.at(dir).writeCalibration(BundleCalibration.empty().with(PredictorUse.REACTIVE,
                new BundleCalibration.Entry(chosen, 2, 3, 0.9, 1e-5, 40, "test", List.of())));

        // when
        try (OnnxHintPredictor calibrated = OnnxHintPredictor.load(dir,
                OnnxHintPredictor.Options.cpu().sharedEncoder(loaded.encoder()))) {

            // then
            assertThat(loaded.defaultUse()).isEqualTo(PredictorUse.REACTIVE); // the bundle has reactive heads only
            assertThat(loaded.decisionRule()).isEqualTo(trained.decisionRule());
            assertThat(loaded.ruleSource(PredictorUse.REACTIVE)).isEqualTo(OnnxHintPredictor.RuleSource.TRAINED);
            assertThat(calibrated.decisionRule()).isEqualTo(chosen).isEqualTo(calibrated.rule(PredictorUse.REACTIVE));
            assertThat(calibrated.ruleSource(PredictorUse.REACTIVE)).isEqualTo(OnnxHintPredictor.RuleSource.CALIBRATED);
            assertThat(calibrated.bundle().dir()).isEqualTo(dir);
        }
    }

    @Test
    void should_record_the_metadata_in_the_bundle() {
        OnnxHintPredictor onnx = loaded;
        // when
        BundleMetadata meta = onnx.metadata();

        // then
        assertThat(meta.featureNames()).containsExactlyElementsOf(REACTIVE);
        assertThat(meta.encoderId()).isEqualTo(EncoderFiles.MINILM_ID);
        assertThat(meta.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(meta.maxLength()).isEqualTo(256);
        assertThat(meta.rule()).isEqualTo(trained.decisionRule());
        assertThat(meta.metrics()).isEqualTo(trained.validationMetrics());
        assertThat(onnx.requiredFeatures()).containsExactly(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH);
        assertThat(Files.exists(bundle.resolve("encoder/model.onnx"))).isTrue();
    }

    @Test
    void should_name_a_missing_feature() {
        OnnxHintPredictor onnx = loaded;
        assertThatThrownBy(() -> onnx.predict(Query.of("What is 2 + 2?"), Features.of(Features.MEAN_ENTROPY, 0.3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mean_output_length'");
    }

    @Test
    void should_name_an_unexpected_feature() {
        OnnxHintPredictor onnx = loaded;
        Features f = features(heldOut.get(0)).with("verbalized_confidence", 0.9);
        assertThatThrownBy(() -> onnx.predict(Query.of("What is 2 + 2?"), f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verbalized_confidence");
    }

    @Test
    void should_truncate_an_over_long_query_and_say_so() {
        OnnxHintPredictor onnx = loaded;
        // when
        HintPrediction p = onnx.predict(Query.of("How many apples are left? ".repeat(200)), features(heldOut.get(0)));
        HintPrediction q = onnx.predict(Query.of("How many apples are left?"), features(heldOut.get(0)));

        // then
        assertThat(p.queryTruncated()).isTrue();
        assertThat(q.queryTruncated()).isFalse();
    }

    @Test
    void should_reject_a_missing_bundle_naming_heads_onnx() throws Exception {
        Path empty = Files.createDirectories(shared.resolve("empty"));
        assertThatThrownBy(() -> OnnxHintPredictor.load(empty))
                .isInstanceOf(BundleException.class).hasMessageContaining("heads.onnx");
    }

    @Test
    void should_reject_a_corrupt_heads_file_naming_it() throws Exception {
        // given
        Path dir = Files.createDirectories(shared.resolve("corrupt"));
        byte[] bytes = Files.readAllBytes(bundle.resolve(headsFile()));
        Files.write(dir.resolve("heads.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 3));

        // when / then
        assertThatThrownBy(() -> OnnxHintPredictor.load(dir))
                .isInstanceOf(BundleException.class).hasMessageContaining(dir.resolve("heads.onnx").toString());
    }

    @Test
    void should_reject_a_bundle_whose_encoder_files_are_missing() throws Exception {
        // given
        Path dir = Files.createDirectories(shared.resolve("no-encoder"));
        Files.copy(bundle.resolve(headsFile()), dir.resolve(headsFile()));

        // when / then
        assertThatThrownBy(() -> OnnxHintPredictor.load(dir))
                .isInstanceOf(BundleException.class).hasMessageContaining("model.onnx");
    }

    @Test
    void should_reject_a_shared_encoder_other_than_the_trained_one() throws Exception {
        // given: same files, different pooling
        try (TextEncoder cls = TextEncoder.builder(SharedEncoder.get().files()).id(EncoderFiles.MINILM_ID)
                .pooling(Pooling.CLS).normalize(true).build()) {
            // when / then
            assertThatThrownBy(() -> OnnxHintPredictor.load(bundle, OnnxHintPredictor.Options.cpu().sharedEncoder(cls)))
                    .isInstanceOf(BundleException.class).hasMessageContaining("were trained over");
        }
    }

    /** The shared bundle's heads file: its heads read reactive features, so they live in heads-reactive.onnx. */
    private static String headsFile() {
        return Files.exists(bundle.resolve("heads.onnx")) ? "heads.onnx" : "heads-reactive.onnx";
    }
}
