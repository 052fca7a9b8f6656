package dev.shepherd.onnx.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.onnx.OnnxRouter;
import dev.shepherd.onnx.RouterMetadata;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.trace.SyntheticLadder;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The N-way router on the SIMULATED four-model ladder ({@link SyntheticLadder}): the query text carries difficulty. */
class RouterTrainerTest {

    private static TextEncoder encoder;
    private static TrainedRouter router;
    private static Trace test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        encoder = TextEncoder.miniLm();
        Trace all = SyntheticLadder.generate(420, 11).countMissingTokens(s -> s.length() / 4).trace();
        router = RouterTrainer.builder(encoder).seed(3).build()
                .train(all.withRecords(all.records().subList(0, 300)), prices());
        test = all.withRecords(all.records().subList(300, 420));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static Map<String, TokenPrices> prices() {
        Map<String, TokenPrices> p = new LinkedHashMap<>();
        for (int j = 0; j < 4; j++) {
            p.put(SyntheticLadder.MODELS.get(j), TokenPrices.perMillion(SyntheticLadder.PRICES[j][0],
                    SyntheticLadder.PRICES[j][1]));
        }
        return p;
    }

    @Test
    void should_learn_each_models_success_from_the_query_and_calibrate_an_operating_lambda() {
        // then: one head per model, each ranking its model's successes well out of fold (difficulty is in the text)
        RouterMetadata meta = router.metadata();
        assertThat(meta.models()).containsExactlyElementsOf(SyntheticLadder.MODELS);
        assertThat(meta.heads()).allSatisfy(h -> {
            assertThat(h.outOfFoldAuc()).as(h.model()).isGreaterThan(0.7);
            assertThat(h.outOfFoldLogLoss()).as(h.model()).isLessThan(h.constantLogLoss());
        });
        assertThat(meta.examples()).isEqualTo(300);
        TrainedRouter.Calibration c = router.calibration();
        assertThat(c.reached()).isTrue();
        assertThat(c.accuracy()).isGreaterThanOrEqualTo(0.9 * c.referenceAccuracy() - 1e-9);
        assertThat(c.shares().get("frontier")).isLessThan(1.0);
        assertThat(meta.lambda()).isEqualTo(c.lambda());
    }

    @Test
    void should_serve_through_onnx_runtime_what_it_computes_in_java() {
        // when
        Path bundle = router.export(tmp.resolve("router"));
        List<String> queries = test.records().stream().map(TraceRecord::query).toList();
        double[][] java = router.probabilities(queries);
        // then
        assertThat(bundle.resolve(OnnxRouter.FILE)).isRegularFile();
        assertThat(Files.isRegularFile(bundle.resolve("encoder/model.onnx"))).isTrue();
        try (OnnxRouter served = OnnxRouter.load(bundle)) {
            assertThat(served.metadata()).isEqualTo(router.metadata());
            double[][] ort = served.probabilities(queries);
            for (int i = 0; i < queries.size(); i++) {
                for (int j = 0; j < 4; j++) {
                    assertThat(ort[i][j]).as("query %d model %d", i, j).isCloseTo(java[i][j], within(1e-4));
                }
            }
        }
    }

    @Test
    void should_rank_held_out_queries_by_difficulty() {
        // given: the frontier model's probability on held-out queries against the number of terms
        double[][] p = router.probabilities(test.records().stream().map(TraceRecord::query).toList());
        double easy = 0;
        double hard = 0;
        int ne = 0;
        int nh = 0;
        for (int i = 0; i < p.length; i++) {
            int terms = test.records().get(i).query().split(",").length;
            if (terms <= 4) {
                easy += p[i][0];
                ne++;
            } else if (terms >= 10) {
                hard += p[i][0];
                nh++;
            }
        }
        // then: the tiny model is believed far more often right on short sums
        assertThat(easy / ne).isGreaterThan(hard / nh + 0.2);
    }

    @Test
    void should_refuse_traces_without_token_counts_or_prices() {
        Trace raw = SyntheticLadder.generate(40, 1);
        assertThatThrownBy(() -> RouterTrainer.builder(encoder).build().train(raw, prices()))
                .hasMessageContaining("has no token counts");
        Trace counted = raw.countMissingTokens(String::length).trace();
        assertThatThrownBy(() -> RouterTrainer.builder(encoder).build().train(counted, Map.of()))
                .hasMessageContaining("no prices for model 'tiny-1b'");
    }
}
