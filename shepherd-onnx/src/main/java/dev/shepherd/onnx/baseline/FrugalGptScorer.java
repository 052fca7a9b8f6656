package dev.shepherd.onnx.baseline;

import dev.shepherd.core.Query;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.onnx.training.LabeledExample;
import dev.shepherd.onnx.training.PredictorTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A FrugalGPT-style scorer (docs/method.md#other-schemes): (query + small-model answer) → P(the answer is
 * correct), for a score-threshold cascade that escalates to the large model below a threshold. It is
 * the same machinery as the predictor: the encoder reads {@link #pairText(String, String)} and a
 * need-help head trained with λ = 1 on "answer wrong" labels ({@link #example}) scores it, so a scorer is
 * trained by {@link PredictorTrainer}, exported and served like any bundle.
 *
 * <p>{@link #forAnswers(Function)} adapts it to {@link HintPredictor} (probability = P(needs the large
 * model) = 1 − P(correct)) given a way to find the small model's answer to a query. Immutable and
 * thread-safe when the inner predictor is.
 */
public final class FrugalGptScorer {

    private final HintPredictor inner;

    private FrugalGptScorer(HintPredictor inner) {
        this.inner = inner;
    }

    /** Wraps a predictor trained on {@link #example} rows. */
    public static FrugalGptScorer of(HintPredictor inner) {
        return new FrugalGptScorer(Objects.requireNonNull(inner, "inner"));
    }

    /** The text the encoder reads: the query, then the answer (truncated from the end when too long). */
    public static String pairText(String query, String answer) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(answer, "answer");
        return query + "\n\nAnswer: " + answer;
    }

    /** A training row: label 1 (n* = 1) when the answer is wrong, 0 when it is correct. */
    public static LabeledExample example(String id, String query, String answer, boolean correct) {
        return LabeledExample.of(id, pairText(query, answer), correct ? 0 : 1);
    }

    /** P(answer is correct). */
    public double probabilityCorrect(String query, String answer) {
        return 1 - inner.predict(Query.of(pairText(query, answer)), Features.none()).needProbability();
    }

    /** P(answer is correct) for many pairs, batched. */
    public double[] probabilitiesCorrect(List<String> queries, List<String> answers) {
        if (queries.size() != answers.size()) {
            throw new IllegalArgumentException("queries and answers must have the same size but were "
                    + queries.size() + " and " + answers.size());
        }
        List<Query> pairs = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            pairs.add(Query.of(pairText(queries.get(i), answers.get(i))));
        }
        List<HintPrediction> p = inner.predictAll(pairs, pairs.stream().map(q -> Features.none()).toList());
        return p.stream().mapToDouble(x -> 1 - x.needProbability()).toArray();
    }

    /**
     * This scorer as a {@link HintPredictor} whose probability is P(needs the large model), looking up the
     * small model's answer to each query with {@code smallAnswer}.
     */
    public HintPredictor forAnswers(Function<Query, String> smallAnswer) {
        Objects.requireNonNull(smallAnswer, "smallAnswer");
        return (query, features) -> {
            String answer = Objects.requireNonNull(smallAnswer.apply(query), "small-model answer for " + query.id());
            HintPrediction p = inner.predict(Query.of(query.id(), pairText(query.text(), answer), null), Features.none());
            return new HintPrediction(p.needProbability(), 0, p.queryTruncated());
        };
    }
}
