package dev.shepherd.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.onnx.internal.FeatureVector;
import dev.shepherd.onnx.internal.HeadsRunner;
import dev.shepherd.onnx.internal.StaticTable;
import dev.shepherd.onnx.internal.WordPieceTokenizer;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.Synthetic;
import dev.shepherd.onnx.training.TrainedPredictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A predictor bundle over a static encoder: exported, loaded transparently, served in plain Java. */
class StaticBundleTest {

    @TempDir
    static Path shared;

    static TrainedPredictor trained;
    static Path bundle;
    static OnnxHintPredictor loaded;
    static List<Query> queries;

    @BeforeAll
    static void trainAndExport() {
        trained = PredictorTrainer.builder(StaticFixture.encoder()).seed(3).maxEpochs(20).build()
                .train(Synthetic.examples(80, 1));
        bundle = trained.export(shared.resolve("bundle"));
        loaded = OnnxHintPredictor.load(bundle);
        queries = Synthetic.records(30, 99).stream().map(r -> Query.of(r.id(), r.query(), null)).toList();
    }

    @AfterAll
    static void close() {
        loaded.close();
    }

    private static List<Features> none(int n) {
        return java.util.Collections.nCopies(n, Features.none());
    }

    @Test
    void should_store_the_table_and_say_so_in_the_metadata() {
        assertThat(bundle.resolve("encoder/static-embeddings.bin")).isRegularFile();
        assertThat(bundle.resolve("encoder/tokenizer.json")).isRegularFile();
        assertThat(bundle.resolve("encoder/model.onnx")).doesNotExist();
        BundleMetadata meta = PredictorBundle.at(bundle).readHeads().get(0).metadata();
        assertThat(meta.encoderKind()).isEqualTo(EncoderKind.STATIC);
        assertThat(meta.toProperties()).containsEntry("shepherd.encoder", "static");
        assertThat(meta.encoderId()).isEqualTo("minilm-cut-static");
        assertThat(meta.embeddingDim()).isEqualTo(64);
        assertThat(loaded.encoder()).isInstanceOf(StaticEncoder.class);
        assertThat(loaded.encoder().kind()).isEqualTo(EncoderKind.STATIC);
    }

    @Test
    void should_give_what_the_table_and_the_heads_graph_give_by_hand() throws Exception {
        // given: the vector pooled by hand from the stored table, the heads run by ONNX Runtime on it
        StaticTable table = StaticTable.read(PredictorBundle.at(bundle).staticTable());
        WordPieceTokenizer tok = WordPieceTokenizer.load(PredictorBundle.at(bundle).encoderFiles().tokenizer()).orElseThrow();
        BundleMetadata meta = PredictorBundle.at(bundle).readHeads().get(0).metadata();
        int d = meta.embeddingDim();
        int nf = meta.featureNames().size();
        float[] e = new float[queries.size() * d];
        float[] x = new float[queries.size() * nf];
        for (int i = 0; i < queries.size(); i++) {
            String text = queries.get(i).text();
            int[] ids = tok.encode(text);
            float[] v = new float[d];
            for (int id : ids) {
                if (id != 100) {
                    table.addTo(id, v);
                }
            }
            double norm = 0;
            for (float f : v) {
                norm += f * f;
            }
            for (int j = 0; j < d; j++) {
                e[i * d + j] = (float) (v[j] / Math.sqrt(norm));
            }
            double[] f = FeatureVector.assemble(meta.featureNames(), Map.of(), ids.length + 2, text, "test");
            for (int j = 0; j < nf; j++) {
                x[i * nf + j] = (float) f[j];
            }
        }
        float[][] ort;
        try (HeadsRunner runner = new HeadsRunner(bundle.resolve(PredictorBundle.HEADS), Device.cpu())) {
            ort = runner.run(new HeadsRunner.Input(e, x, queries.size(), d, nf));
        }

        // when
        List<HeadOutput> served = loaded.headOutputs(queries, none(queries.size()));
        List<HeadOutput> java = trained.headOutputs(queries, none(queries.size()));

        // then
        for (int i = 0; i < queries.size(); i++) {
            assertThat(served.get(i).needLogit()).isCloseTo(ort[0][i], within(1e-5));
            assertThat(served.get(i).logHintSize()).isCloseTo(ort[1][i], within(1e-5));
            assertThat(served.get(i).needLogit()).isCloseTo(java.get(i).needLogit(), within(1e-5));
        }
    }

    @Test
    void should_give_the_same_prediction_alone_and_in_a_batch() {
        List<HintPrediction> batch = loaded.predictAll(queries, none(queries.size()));
        for (int i = 0; i < queries.size(); i += 7) {
            HintPrediction alone = loaded.predict(queries.get(i), Features.none());
            assertThat(alone.needProbability()).isEqualTo(batch.get(i).needProbability());
            assertThat(alone.hintTokens()).isEqualTo(batch.get(i).hintTokens());
        }
    }

    @Test
    void should_reject_a_bundle_whose_table_is_missing_naming_it() throws Exception {
        // given
        Path dir = copyOfBundle("no-table");
        Path table = PredictorBundle.at(dir).staticTable();
        Files.delete(table);

        // when / then
        assertThatThrownBy(() -> OnnxHintPredictor.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(table.toString()).extracting(ex -> ((BundleException) ex).file()).isEqualTo(table);
    }

    @Test
    void should_reject_a_bundle_whose_table_is_corrupt_naming_it() throws Exception {
        // given
        Path dir = copyOfBundle("corrupt-table");
        Path table = PredictorBundle.at(dir).staticTable();
        byte[] bytes = Files.readAllBytes(table);
        bytes[bytes.length / 3] ^= 1;
        Files.write(table, bytes);

        // when / then
        assertThatThrownBy(() -> OnnxHintPredictor.load(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(table.toString()).hasMessageContaining("checksum")
                .extracting(ex -> ((BundleException) ex).file()).isEqualTo(table);
    }

    @Test
    void should_reject_a_transformer_shared_into_a_static_bundle() {
        assertThatThrownBy(() -> OnnxHintPredictor.load(bundle,
                OnnxHintPredictor.Options.cpu().sharedEncoder(StaticFixture.source())))
                .isInstanceOf(BundleException.class).hasMessageContaining("transformer encoder")
                .hasMessageContaining("static one");
    }

    @Test
    void should_replace_a_transformer_left_by_an_earlier_export() throws Exception {
        // given: a transformer bundle in the directory first
        Path dir = shared.resolve("reexport");
        PredictorTrainer.builder(StaticFixture.source()).seed(3).maxEpochs(2).build().train(Synthetic.examples(40, 2))
                .export(dir);
        assertThat(dir.resolve("encoder/model.onnx")).isRegularFile();

        // when
        trained.export(dir);

        // then
        assertThat(dir.resolve("encoder/model.onnx")).doesNotExist();
        try (OnnxHintPredictor p = OnnxHintPredictor.load(dir)) {
            assertThat(p.encoder()).isInstanceOf(StaticEncoder.class);
        }
    }

    private static Path copyOfBundle(String name) throws Exception {
        Path dir = Files.createDirectories(shared.resolve(name).resolve("encoder"));
        for (String f : List.of("heads.onnx", "encoder/static-embeddings.bin", "encoder/tokenizer.json")) {
            Files.copy(bundle.resolve(f), dir.getParent().resolve(f));
        }
        return dir.getParent();
    }
}
