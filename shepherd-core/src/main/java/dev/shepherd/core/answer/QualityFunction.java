package dev.shepherd.core.answer;

import dev.shepherd.core.Query;
import java.util.Objects;

/**
 * φ(q, response): how good a response is, in [0, 1]; labeling compares it with a threshold τ.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface QualityFunction {

    /**
     * Scores a response.
     *
     * @throws IllegalArgumentException when the query has no gold answer and the function needs one
     */
    double score(Query query, String response);

    /** 1 when the extracted answer equals the query's extracted gold answer, else 0 (math, short answers). */
    static QualityFunction exactMatch(AnswerExtractor extractor) {
        Objects.requireNonNull(extractor, "extractor");
        return (query, response) -> {
            if (query.gold() == null) {
                throw new IllegalArgumentException("query '" + query.id() + "' has no gold answer to compare with");
            }
            String gold = extractor.extract(query.gold()).orElse(query.gold().strip());
            return extractor.extract(response).map(gold::equals).orElse(false) ? 1.0 : 0.0;
        };
    }
}
