package dev.shepherd.core.hint;

import dev.shepherd.core.ShepherdException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A policy was given a predictor it cannot feed: the predictor needs features the policy does not have at the
 * moment it decides (a proactive policy has only the query; a reactive one adds the small model's samples).
 * Thrown when the policy is built, never while it serves requests.
 */
public class PredictorMismatchException extends ShepherdException {

    private static final long serialVersionUID = 1L;

    private final String policy;
    private final Set<String> missing;

    /**
     * @param policy  the policy's name
     * @param missing the features the predictor needs that the policy cannot supply
     * @param predictor the predictor, for the message
     */
    public PredictorMismatchException(String policy, Set<String> missing, Object predictor) {
        super(policy + " cannot use predictor " + predictor + ": it needs feature(s) " + missing
                + " that " + policy + " does not have when it decides"
                + (policy.startsWith("reactive") ? "" : " (use its query-only heads, or reactive shepherding)"));
        this.policy = policy;
        this.missing = Set.copyOf(missing);
    }

    /** The policy's name. */
    public String policy() {
        return policy;
    }

    /** The features the predictor needs that the policy cannot supply. */
    public Set<String> missing() {
        return missing;
    }

    /**
     * Checks that a policy that can supply {@code available} features can feed the predictor.
     *
     * @throws PredictorMismatchException when it cannot
     */
    public static void check(String policy, HintPredictor predictor, Set<String> available) {
        Set<String> missing = new LinkedHashSet<>(predictor.requiredFeatures());
        missing.removeAll(available);
        if (!missing.isEmpty()) {
            throw new PredictorMismatchException(policy, missing, predictor);
        }
    }
}
