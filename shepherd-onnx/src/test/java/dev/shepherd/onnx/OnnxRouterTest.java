package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.policy.TierRouting;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.tier.TierPredictor;
import dev.shepherd.core.tier.Tiers;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.OrtSessions;
import dev.shepherd.onnx.training.RouterTrainer;
import dev.shepherd.onnx.training.TrainedRouter;
import dev.shepherd.trace.SyntheticLadder;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The N-way router over a static encoder (the fast tier, {@link StaticFixture}) on the SIMULATED four-model ladder
 * ({@link SyntheticLadder}): trained, exported, loaded back by {@link OnnxRouter}, and used by core's
 * {@link TierRouting} as its {@code TierPredictor}.
 */
class OnnxRouterTest {

    @TempDir
    static Path shared;

    static TrainedRouter trained;
    static Path bundle;
    static OnnxRouter loaded;
    static List<String> queries;

    @BeforeAll
    static void trainAndExport() {
        Trace all = SyntheticLadder.generate(260, 5).countMissingTokens(s -> s.length() / 4).trace();
        trained = RouterTrainer.builder(StaticFixture.encoder()).seed(3).build()
                .train(all.withRecords(all.records().subList(0, 200)), prices());
        bundle = trained.export(shared.resolve("router"));
        loaded = OnnxRouter.load(bundle);
        queries = all.records().subList(200, 260).stream().map(TraceRecord::query).toList();
    }

    @AfterAll
    static void close() {
        loaded.close();
    }

    private static Map<String, TokenPrices> prices() {
        Map<String, TokenPrices> p = new LinkedHashMap<>();
        for (int j = 0; j < SyntheticLadder.MODELS.size(); j++) {
            p.put(SyntheticLadder.MODELS.get(j), TokenPrices.perMillion(SyntheticLadder.PRICES[j][0],
                    SyntheticLadder.PRICES[j][1]));
        }
        return p;
    }

    @Test
    void should_store_the_static_table_and_record_the_encoder_kind() {
        // then: the table and its tokenizer, no transformer; the metadata names the static encoder
        assertThat(bundle.resolve("router.onnx")).isRegularFile();
        assertThat(bundle.resolve("encoder/static-embeddings.bin")).isRegularFile();
        assertThat(bundle.resolve("encoder/tokenizer.json")).isRegularFile();
        assertThat(bundle.resolve("encoder/model.onnx")).doesNotExist();
        RouterMetadata meta = OnnxRouter.readMetadata(bundle);
        assertThat(meta.encoderKind()).isEqualTo(EncoderKind.STATIC);
        assertThat(meta.encoderId()).isEqualTo("minilm-cut-static");
        assertThat(meta.embeddingDim()).isEqualTo(64);
        assertThat(meta).isEqualTo(trained.metadata());
    }

    @Test
    void should_give_the_trained_routers_probabilities_after_export_and_load() {
        // when
        double[][] java = trained.probabilities(queries);
        double[][] served = loaded.probabilities(queries);

        // then: the weights read back from the graph, over the reloaded table, give what training computed
        for (int i = 0; i < queries.size(); i++) {
            for (int j = 0; j < SyntheticLadder.MODELS.size(); j++) {
                assertThat(served[i][j]).as("query %d model %d", i, j).isCloseTo(java[i][j], within(1e-4));
            }
        }
        // and the heads learned something: the tiny model is believed right more often on short sums
        assertThat(loaded.successProbabilities(Query.of("Add these numbers: 3, 4. What is the total?"))[0])
                .isGreaterThan(loaded.successProbabilities(Query.of("Add these numbers: 31, 47, 56, 12, 88, 93, 27, "
                        + "64, 75, 19, 42. What is the total?"))[0]);
    }

    @Test
    void should_serve_in_plain_java_what_onnx_runtime_computes_from_the_bundles_graph() throws Exception {
        // given: the bundle's own table and router.onnx, run by ONNX Runtime's Java API
        RouterMetadata meta = loaded.metadata();
        int d = meta.embeddingDim();
        int nf = meta.featureNames().size();
        float[] e = new float[queries.size() * d];
        float[] x = new float[queries.size() * nf];
        try (StaticEncoder table = PredictorBundle.at(bundle).staticEncoder()) {
            for (int i = 0; i < queries.size(); i++) {
                EncodedText enc = table.encode(queries.get(i));
                System.arraycopy(enc.vector(), 0, e, i * d, d);
                double[] f = FeatureVector.assemble(meta.featureNames(), Map.of(), enc.tokens(), queries.get(i),
                        "test");
                for (int j = 0; j < nf; j++) {
                    x[i * nf + j] = (float) f[j];
                }
            }
        }
        float[][] ort;
        OrtEnvironment env = OrtSessions.environment();
        try (OrtSession session = OrtSessions.open(bundle.resolve(OnnxRouter.FILE), Device.cpu(), 1, true);
             OnnxTensor emb = OnnxTensor.createTensor(env, FloatBuffer.wrap(e), new long[] {queries.size(), d});
             OnnxTensor feats = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {queries.size(), nf});
             OrtSession.Result r = session.run(Map.of(OnnxRouter.INPUT_EMBEDDING, emb, OnnxRouter.INPUT_FEATURES,
                     feats))) {
            ort = (float[][]) r.get(OnnxRouter.OUTPUT_PROBABILITY).orElseThrow().getValue();
        }

        // when: the loaded router, which runs no ONNX Runtime for a static bundle
        double[][] served = loaded.probabilities(queries);

        // then
        for (int i = 0; i < queries.size(); i++) {
            for (int j = 0; j < meta.models().size(); j++) {
                assertThat(served[i][j]).as("query %d model %d", i, j).isCloseTo(ort[i][j], within(1e-4));
            }
        }
    }

    @Test
    void should_read_a_router_written_before_the_encoder_kind_was_recorded_as_a_transformer_router() {
        // given: the metadata JSON without "encoder_kind"
        Map<String, String> props = new LinkedHashMap<>(trained.metadata().toProperties());
        props.put(RouterMetadata.KEY, props.get(RouterMetadata.KEY).replace("\"encoder_kind\":\"static\",", ""));

        // when
        RouterMetadata old = RouterMetadata.fromProperties(props, bundle.resolve("router.onnx"));

        // then
        assertThat(props.get(RouterMetadata.KEY)).doesNotContain("encoder_kind");
        assertThat(old.encoderKind()).isEqualTo(EncoderKind.TRANSFORMER);
    }

    @Test
    void should_route_a_core_ladder_as_its_tier_predictor() {
        // given: the ladder in the router's order, and the same models cheapest-last
        List<String> backwards = new ArrayList<>(SyntheticLadder.MODELS);
        Collections.reverse(backwards);
        Tiers ladder = ladder(SyntheticLadder.MODELS);
        Tiers reversed = ladder(backwards);
        for (String q : queries.subList(0, 10)) {
            double[] p = loaded.probabilities(List.of(q))[0];

            // when
            ShepherdResult direct = answer(loaded, ladder, q);
            ShepherdResult viaNames = answer(loaded.forTiers(reversed), reversed, q);

            // then: the threshold rule applied to the router's probabilities, in the ladder's order
            assertThat(direct.answeredBy().tier()).as(q).isEqualTo(SyntheticLadder.MODELS.get(cheapestAbove(p)));
            double[] r = {p[3], p[2], p[1], p[0]};
            assertThat(viaNames.answeredBy().tier()).as(q).isEqualTo(backwards.get(cheapestAbove(r)));
            assertThat(direct.notes().get(0)).isEqualTo(String.format(Locale.ROOT,
                    "p [%.3f, %.3f, %.3f, %.3f]", p[0], p[1], p[2], p[3]));
        }
    }

    @Test
    void should_refuse_a_ladder_whose_tiers_are_not_the_routers_models() {
        Tiers other = ladder(List.of("tiny-1b", "small-8b", "medium-70b", "gpt-5"));
        assertThatThrownBy(() -> loaded.forTiers(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be the router's models [tiny-1b, small-8b, medium-70b, frontier]")
                .hasMessageContaining("gpt-5");
    }

    private static int cheapestAbove(double[] p) {
        for (int i = 0; i < p.length - 1; i++) {
            if (p[i] >= 0.5) {
                return i;
            }
        }
        return p.length - 1;
    }

    private static ShepherdResult answer(TierPredictor predictor, Tiers tiers, String q) {
        TierRouting routing = TierRouting.builder().predictor(predictor).threshold(0.5).build();
        return Shepherd.builder().tiers(tiers).policy(routing).extractor(AnswerExtractor.math())
                .failureMode(FailureMode.STRICT).ledger(CostLedger.create()).build().answer(Query.of(q));
    }

    private static Tiers ladder(List<String> names) {
        Tiers.Builder b = Tiers.builder();
        for (String n : names) {
            b.tier(n, new Fixed(n), TokenPrices.perMillion(1, 1));
        }
        return b.build();
    }

    /** A model that always answers 1. */
    private record Fixed(String name) implements Generator {
        @Override
        public Completion generate(GenerationRequest request) {
            return Completion.of(name + " #### 1", 10, 3, FinishReason.STOP);
        }
    }
}
