package dev.shepherd.core.hint;

import dev.shepherd.core.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The paper's two-stage predictor (docs/method.md#predictor): does a query need a hint, and how many
 * tokens? {@code shepherd-onnx} provides the trained implementation; tests inject their own.
 * Implementations are thread-safe.
 */
public interface HintPredictor {

    /**
     * Predicts for one query.
     *
     * @param features extra numeric features (reactive mode); {@link Features#none()} in proactive mode
     * @throws IllegalArgumentException when a required feature is missing
     */
    HintPrediction predict(Query query, Features features);

    /** Predicts for many queries; implementations batch where it pays. */
    default List<HintPrediction> predictAll(List<Query> queries, List<Features> features) {
        if (queries.size() != features.size()) {
            throw new IllegalArgumentException("queries and features must have the same size but were "
                    + queries.size() + " and " + features.size());
        }
        List<HintPrediction> out = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            out.add(predict(queries.get(i), features.get(i)));
        }
        return out;
    }

    /** The features this predictor needs from the caller (beyond what it computes itself). */
    default Set<String> requiredFeatures() {
        return Set.of();
    }

    /** A predictor that always says the same thing; for tests and fixed-budget experiments. */
    static HintPredictor constant(double needProbability, double hintTokens) {
        HintPrediction p = HintPrediction.of(needProbability, hintTokens);
        return (query, features) -> p;
    }
}
