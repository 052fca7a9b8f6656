package dev.shepherd.onnx.training;

import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.model.ModelRole;

/**
 * Replays a decision on a label record's recorded calls, without calling any model. Stateless.
 *
 * <ul>
 *   <li>SLM alone: level 0's quality and small-model cost.</li>
 *   <li>HINT(n): the largest recorded level with {@code hint_tokens ≤ n} stands in for the n-token hint
 *       (conservative: the hint actually bought is at least that long; labeling that stopped at the first
 *       passing level makes every larger n resolve to that passing level). Cost: the large model reads the
 *       hint prompt ({@code hint_input_tokens}, else {@code llm_full.input_tokens}) and writes
 *       {@code min(n, llm_full.output_tokens)} tokens; the small model's recorded call at that level.</li>
 *   <li>LLM full: {@code llm_full}'s quality and cost; the small model is not called.</li>
 * </ul>
 */
final class DecisionSimulator {

    private DecisionSimulator() {
    }

    /** {quality, cost} of the decision on the record. */
    static double[] simulate(LabelRecord r, Decision d, CostModel costs) {
        switch (d.kind()) {
            case SMALL_ONLY: {
                LabelRecord.ModelCall slm = r.levels().get(0).small();
                return new double[] {slm.quality(), costs.cost(ModelRole.SMALL, slm.inputTokens(), slm.outputTokens())};
            }
            case LARGE_FULL: {
                LabelRecord.ModelCall llm = r.largeFull();
                return new double[] {llm.quality(), costs.cost(ModelRole.LARGE, llm.inputTokens(), llm.outputTokens())};
            }
            default: {
                int n = d.hintTokens();
                LabelRecord.HintLevel level = r.levels().get(0);
                for (LabelRecord.HintLevel l : r.levels()) {
                    if (l.hintTokens() <= n && l.hintTokens() >= level.hintTokens()) {
                        level = l;
                    }
                }
                long largeIn = level.hintInputTokens() > 0 ? level.hintInputTokens() : r.largeFull().inputTokens();
                long largeOut = Math.min(n, r.largeFull().outputTokens());
                double cost = costs.cost(ModelRole.LARGE, largeIn, largeOut)
                        + costs.cost(ModelRole.SMALL, level.small().inputTokens(), level.small().outputTokens());
                return new double[] {level.small().quality(), cost};
            }
        }
    }
}
