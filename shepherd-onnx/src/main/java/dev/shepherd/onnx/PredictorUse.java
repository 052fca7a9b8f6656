package dev.shepherd.onnx;

import java.util.Locale;

/**
 * What a predictor bundle is used for. Each use reads one of the bundle's heads and has its own calibrated
 * decision rule ({@link BundleCalibration}): the same α means different things before and after K samples.
 */
public enum PredictorUse {

    /** Whole queries to the large model iff P(need) ≥ α; the query-only heads. */
    ROUTING("routing"),
    /** Proactive shepherding: the query-only heads decide before the small model runs. */
    PROACTIVE("proactive-shepherding"),
    /** Reactive shepherding: the reactive heads decide after K samples disagree. */
    REACTIVE("reactive-shepherding");

    private final String policyName;

    PredictorUse(String policyName) {
        this.policyName = policyName;
    }

    /** The name of the policy this use serves, as the command line spells it. */
    public String policyName() {
        return policyName;
    }

    /** The key of this use in {@code shepherd-calibration.json}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The use named by a policy name or key.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static PredictorUse parse(String name) {
        for (PredictorUse u : values()) {
            if (u.policyName.equals(name) || u.key().equals(name)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown predictor use '" + name + "'; expected one of routing, "
                + "proactive, reactive (or the policy names routing, proactive-shepherding, reactive-shepherding)");
    }
}
