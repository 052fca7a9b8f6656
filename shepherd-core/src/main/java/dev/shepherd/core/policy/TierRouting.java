package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.tier.TierPredictor;
import dev.shepherd.core.tier.Tiers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.List;

/**
 * Routing among N models: a {@link TierPredictor} gives each tier's probability of answering the
 * query well, and one tier answers in full. Two rules:
 * <ul>
 *   <li><b>thresholds</b> (RouteLLM's, per tier): the cheapest tier whose probability is at least its
 *       threshold; the top tier when none clears (the top's own threshold is never consulted);</li>
 *   <li><b>utility</b> ({@link Builder#lambda(double)}): the tier maximising
 *       {@code p_i − λ · cost_i}, with {@code cost_i} the tier's price of the query (≈ one token per four
 *       UTF-8 bytes) plus {@link Builder#expectedOutputTokens(int)} output tokens, in dollars.</li>
 * </ul>
 * On a two-model executor this is {@link PredictorRouting} with P(small succeeds) in place of
 * P(hint needed). The decision is {@code SMALL_ONLY} for the bottom tier, {@code LARGE_FULL} for any
 * other; the notes give the probabilities and the chosen tier ({@code "routed to mid"}).
 *
 * <p>Immutable and thread-safe.
 */
public final class TierRouting implements ShepherdingPolicy {

    private final TierPredictor predictor;
    private final double[] thresholds;
    private final double lambda;
    private final int expectedOutputTokens;

    private TierRouting(Builder b) {
        this.predictor = b.predictor;
        this.thresholds = b.thresholds;
        this.lambda = b.lambda;
        this.expectedOutputTokens = b.expectedOutputTokens;
    }

    /** A builder; the predictor and either thresholds or λ are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "tier-routing";
    }

    /**
     * The tier to route to, given each tier's success probability: exposed for replay and tests.
     *
     * @throws IllegalArgumentException when there is not one probability per tier
     */
    public int choose(Query query, Tiers tiers, double[] p) {
        if (p == null || p.length != tiers.size()) {
            throw new IllegalArgumentException("the tier predictor must give one probability per tier ("
                    + tiers.size() + ") but gave " + (p == null ? "none" : p.length));
        }
        int top = tiers.size() - 1;
        if (thresholds != null) {
            for (int i = 0; i < top; i++) {
                if (p[i] >= threshold(i)) {
                    return i;
                }
            }
            return top;
        }
        long inputTokens = query.text().getBytes(StandardCharsets.UTF_8).length / 4 + 1;
        int best = top;
        double bestUtility = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= top; i++) {
            double utility = p[i] - lambda * tiers.get(i).prices().cost(inputTokens, expectedOutputTokens);
            // Strictly greater: on a tie the cheaper tier wins.
            if (utility > bestUtility) {
                bestUtility = utility;
                best = i;
            }
        }
        return best;
    }

    private double threshold(int tier) {
        return thresholds.length == 1 ? thresholds[0] : thresholds[tier];
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        Tiers tiers = context.tiers();
        double[] p = predictor.successProbabilities(query);
        if (thresholds != null && thresholds.length > 1 && thresholds.length < tiers.size() - 1) {
            throw new IllegalStateException("tier-routing has " + thresholds.length
                    + " thresholds but the ladder needs one per tier below the top (" + (tiers.size() - 1) + ")");
        }
        int tier = choose(query, tiers, p);
        PolicyOutcome out = new PolicyOutcome(context.tier(tier, GenerationRequest.builder()
                .messages(context.template().messages(query, null))
                .sampling(context.sampling())
                .build(), CallPurpose.ANSWER), tier == 0 ? Decision.smallOnly() : Decision.largeFull(), null,
                List.of(probabilities(p), "routed to " + tiers.get(tier).name()));
        return out;
    }

    private static String probabilities(double[] p) {
        StringBuilder sb = new StringBuilder("p [");
        for (int i = 0; i < p.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", p[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return thresholds != null ? "TierRouting[thresholds=" + Arrays.toString(thresholds) + "]"
                : "TierRouting[lambda=" + lambda + ", expectedOutputTokens=" + expectedOutputTokens + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private TierPredictor predictor;
        private double[] thresholds;
        private double lambda = Double.NaN;
        private int expectedOutputTokens = 256;

        private Builder() {
        }

        /** Each tier's success probability for a query. Required. */
        public Builder predictor(TierPredictor predictor) {
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            return this;
        }

        /** One threshold for every tier below the top, in [0, 1]. */
        public Builder threshold(double threshold) {
            return thresholds(threshold);
        }

        /**
         * The calibrated threshold of each tier below the top, cheapest first, each in [0, 1] (extra
         * values, e.g. the top's, are ignored); one value serves every tier.
         */
        public Builder thresholds(double... thresholds) {
            Objects.requireNonNull(thresholds, "thresholds");
            if (thresholds.length == 0) {
                throw new IllegalArgumentException("thresholds must hold at least one value");
            }
            for (double t : thresholds) {
                Arguments.share("threshold", t);
            }
            this.thresholds = thresholds.clone();
            return this;
        }

        /** Route by utility {@code p − λ · dollars} instead of thresholds; λ ≥ 0 (0 picks the likeliest tier). */
        public Builder lambda(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("lambda must be finite and >= 0 but was " + lambda);
            }
            this.lambda = lambda;
            return this;
        }

        /** Output tokens assumed for a tier's answer in the utility rule, ≥ 1; 256 by default. */
        public Builder expectedOutputTokens(int tokens) {
            this.expectedOutputTokens = Arguments.atLeast("expectedOutputTokens", tokens, 1);
            return this;
        }

        /** @throws IllegalStateException without a predictor, or with neither or both of thresholds and λ */
        public TierRouting build() {
            Arguments.required(predictor != null, "predictor");
            if ((thresholds == null) == Double.isNaN(lambda)) {
                throw new IllegalStateException("tier-routing needs exactly one rule: call threshold(...)/thresholds(...)"
                        + " or lambda(...)");
            }
            return new TierRouting(this);
        }
    }
}
