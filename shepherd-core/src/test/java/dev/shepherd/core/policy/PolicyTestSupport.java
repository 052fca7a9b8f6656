package dev.shepherd.core.policy;

import dev.shepherd.core.Query;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.Features;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.run.FailureMode;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared set-up of the policy tests. */
final class PolicyTestSupport {

    static final CostModel COSTS = CostModel.localSmall(TokenPrices.paperLlama70b());

    private PolicyTestSupport() {
    }

    static Shepherd shepherd(ShepherdingPolicy policy, Generator small, Generator large) {
        return Shepherd.builder().small(small).large(large).policy(policy).costModel(COSTS)
                .extractor(AnswerExtractor.math()).failureMode(FailureMode.STRICT).build();
    }

    static List<CallPurpose> purposes(ShepherdResult result) {
        return result.calls().stream().map(CallRecord::purpose).toList();
    }

    /** A predictor that answers a fixed prediction and remembers the features it was given. */
    static final class RecordingPredictor implements HintPredictor {
        final List<Features> seen = new CopyOnWriteArrayList<>();
        private final HintPrediction prediction;

        private final java.util.Set<String> required;

        RecordingPredictor(double needProbability, double hintTokens) {
            this(needProbability, hintTokens, java.util.Set.of(Features.MEAN_ENTROPY, Features.MEAN_OUTPUT_LENGTH));
        }

        RecordingPredictor(double needProbability, double hintTokens, java.util.Set<String> required) {
            this.prediction = HintPrediction.of(needProbability, hintTokens);
            this.required = required;
        }

        @Override
        public java.util.Set<String> requiredFeatures() {
            return required;
        }

        @Override
        public HintPrediction predict(Query query, Features features) {
            seen.add(features);
            return prediction;
        }
    }
}
