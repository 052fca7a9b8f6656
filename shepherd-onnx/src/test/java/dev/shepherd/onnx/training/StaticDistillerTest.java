package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.StaticFixture;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.internal.StaticTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real distillation of MiniLM over a 4,000-token slice of its vocabulary ({@link StaticFixture}). */
class StaticDistillerTest {

    private static double cos(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void should_keep_the_transformers_own_vector_for_every_single_token() {
        // given: no PCA, no weighting, half precision: a one-token query's static vector is the transformer's
        TextEncoder source = StaticFixture.source();
        try (StaticEncoder raw = StaticFixture.distiller(0, TokenWeighting.NONE, StaticDistiller.Quantization.FLOAT16)
                .write(StaticFixture.tokenVectors(), StaticFixture.directory("raw"))) {
            for (String word : List.of("time", "water", "money", "house", "how", "sold")) {
                // when
                float[] expected = source.encode(word).vector();
                float[] got = raw.encode(word).vector();

                // then
                assertThat(source.tokenCount(word)).as(word).isEqualTo(3);
                assertThat(cos(got, expected)).as(word).isGreaterThan(0.9999);
            }
        }
    }

    @Test
    void should_write_a_reduced_weighted_table_and_the_tokenizer() throws Exception {
        // when
        StaticEncoder enc = StaticFixture.encoder();

        // then
        assertThat(enc.dimension()).isEqualTo(64);
        assertThat(enc.vocabularySize()).isEqualTo(StaticFixture.VOCABULARY);
        assertThat(enc.id()).isEqualTo("minilm-cut-static");
        assertThat(enc.properties()).containsEntry("source.id", "minilm-cut").containsEntry("pca.components", "64")
                .containsEntry("weighting", "sif").containsEntry("quantization", "int8")
                .containsEntry("source.dimension", "384").containsEntry("max_length", "256");
        assertThat(Files.size(enc.table())).isLessThan(StaticFixture.VOCABULARY * (64 + 4) + 1000);
        assertThat(Files.readAllBytes(enc.tokenizer()))
                .isEqualTo(Files.readAllBytes(StaticFixture.source().files().tokenizer()));
    }

    @Test
    void should_fold_the_token_weights_into_the_rows() {
        // given: the same vectors written without and with SIF weights
        float[][] vectors = StaticFixture.tokenVectors();
        Path plain = StaticFixture.directory("plain");
        Path sif = StaticFixture.directory("sif");
        StaticFixture.distiller(0, TokenWeighting.NONE, StaticDistiller.Quantization.FLOAT16).write(vectors, plain).close();
        StaticFixture.distiller(0, TokenWeighting.SIF, StaticDistiller.Quantization.FLOAT16).write(vectors, sif).close();
        StaticTable a = StaticTable.read(plain.resolve(StaticEncoder.TABLE_FILE));
        StaticTable b = StaticTable.read(sif.resolve(StaticEncoder.TABLE_FILE));
        double[] w = TokenWeighting.SIF.weights(StaticFixture.VOCABULARY);

        // then: frequent (low-id) tokens weigh less than rare ones, and each row is scaled by its weight
        assertThat(w[1996]).isLessThan(w[3999]);
        for (int id : new int[] {1996, 2051, 3999}) {
            float[] ra = a.row(id);
            float[] rb = b.row(id);
            for (int j = 0; j < ra.length; j += 37) {
                assertThat(rb[j]).isCloseTo((float) (ra[j] * w[id]), within(Math.abs(ra[j]) * 2e-3f + 1e-6f));
            }
        }
    }

    @Test
    void should_place_similar_questions_closer_than_unrelated_ones() {
        StaticEncoder enc = StaticFixture.encoder();
        float[] a = enc.encode("How many have they left?").vector();
        float[] b = enc.encode("How many are left now?").vector();
        float[] c = enc.encode("The house by the water.").vector();
        assertThat(cos(a, b)).isGreaterThan(cos(a, c) + 0.1);
    }
}
