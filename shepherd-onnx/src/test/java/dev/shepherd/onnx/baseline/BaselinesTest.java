package dev.shepherd.onnx.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.PredictorRouting;
import dev.shepherd.onnx.SharedEncoder;
import dev.shepherd.onnx.training.EncodedExamples;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.PredictorTrainer;
import dev.shepherd.onnx.training.Synthetic;
import dev.shepherd.onnx.training.TrainedPredictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    static EncodedExamples data;
    static List<LabelRecord> heldOut;

    @BeforeAll
    static void encode() {
        data = PredictorTrainer.builder(SharedEncoder.get()).build().encode(Synthetic.examples(40, 8));
        heldOut = Synthetic.records(20, 123);
    }

    @Test
    void should_put_routellm_threshold_at_the_quantile_for_the_target_share() {
        // given: a scorer that reads its score off the query
        double[] scores = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        HintPredictor scorer = (q, f) -> HintPrediction.of(Double.parseDouble(q.text()), 0);
        List<Query> reference = Arrays.stream(scores).mapToObj(s -> Query.of(Double.toString(s))).toList();
        List<Features> none = reference.stream().map(q -> Features.none()).toList();

        // when
        ThresholdRouter router = ThresholdRouter.calibrated(scorer, reference, none, 0.3);

        // then: numpy.quantile(scores, 0.7) = 0.73, core's calibration
        assertThat(router.threshold()).isCloseTo(0.73, Offset.offset(1e-12))
                .isEqualTo(PredictorRouting.calibrateThreshold(scores, 0.3));
        assertThat(reference.stream().filter(q -> router.routesToLarge(q, Features.none())).count()).isEqualTo(3);
        assertThat(router.policy().threshold()).isEqualTo(router.threshold());
        assertThatThrownBy(() -> ThresholdRouter.calibrated(scorer, reference, none, 1.2)).hasMessageContaining("1.2");
    }

    @Test
    void should_route_the_calibrated_share_with_the_need_help_head() {
        // given
        TrainedPredictor head = PredictorTrainer.builder(SharedEncoder.get()).lambda(1).seed(2).maxEpochs(20).build()
                .train(data);
        List<Query> queries = heldOut.stream().map(r -> Query.of(r.query())).toList();
        List<Features> none = queries.stream().map(q -> Features.none()).toList();

        // when
        ThresholdRouter router = ThresholdRouter.calibrated(head, queries, none, 0.5);

        // then: the synthetic hard half is what gets routed
        int routed = 0;
        int routedHard = 0;
        for (int i = 0; i < queries.size(); i++) {
            if (router.routesToLarge(queries.get(i), Features.none())) {
                routed++;
                routedHard += heldOut.get(i).nStar() > 0 ? 1 : 0;
            }
        }
        assertThat(routed).isEqualTo(10);
        assertThat(routedHard).isGreaterThanOrEqualTo(9);
    }

    @Test
    void should_weight_neighbours_by_similarity_in_the_knn_router() {
        // given
        KnnRouter knn = KnnRouter.fit(SharedEncoder.get(), data);

        // when
        double hard = knn.predict(Query.of(heldOut.get(1).query()), Features.none()).needProbability();
        double easy = knn.predict(Query.of(heldOut.get(0).query()), Features.none()).needProbability();

        // then
        assertThat(heldOut.get(1).nStar()).isPositive();
        assertThat(heldOut.get(0).nStar()).isZero();
        assertThat(hard).isGreaterThan(0.5).isGreaterThan(easy);
        assertThat(easy).isLessThan(0.5);
    }

    @Test
    void should_compute_the_weighted_bradley_terry_probability_exactly() {
        // given: two stored vectors, one win each; the query is identical to the first
        KnnRouter knn = KnnRouter.fit(SharedEncoder.get(), List.of(new float[] {1, 0}, new float[] {0, 1}),
                new double[] {1, 0});

        // when
        double p = knn.probability(new float[] {1, 0});

        // then: weights 10^(1+1) = 100 and 10^(1+0) = 10
        assertThat(p).isCloseTo(100.0 / 110.0, Offset.offset(1e-12));
    }

    @Test
    void should_score_small_model_answers_frugalgpt_style() {
        // given: correct answers say the right number, wrong ones a different number
        List<LabeledExample> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int a = 3 + i;
            String q = "What is " + a + " plus " + a + "?";
            rows.add(FrugalGptScorer.example("ok-" + i, q, "The sum is " + (2 * a) + ". It is correct.", true));
            rows.add(FrugalGptScorer.example("bad-" + i, q, "I am not sure, maybe banana, I cannot do this.", false));
        }
        TrainedPredictor inner = PredictorTrainer.builder(SharedEncoder.get()).lambda(1).seed(4).maxEpochs(20).build()
                .train(rows);
        FrugalGptScorer scorer = FrugalGptScorer.of(inner);
        Map<String, String> answers = Map.of("q1", "The sum is 100. It is correct.", "q2", "Maybe banana, I cannot do this.");

        // when
        double good = scorer.probabilityCorrect("What is 50 plus 50?", answers.get("q1"));
        double bad = scorer.probabilityCorrect("What is 50 plus 50?", answers.get("q2"));
        HintPredictor asPredictor = scorer.forAnswers(q -> answers.get(q.id()));
        double needLarge = asPredictor.predict(Query.of("q2", "What is 50 plus 50?", null), Features.none()).needProbability();

        // then
        assertThat(good).isGreaterThan(0.5).isGreaterThan(bad);
        assertThat(needLarge).isCloseTo(1 - bad, Offset.offset(1e-9));
    }
}
