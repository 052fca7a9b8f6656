package dev.shepherd.core.cost;

import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.ModelRole;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model call within a request, as the trace and the ledger keep it. Immutable.
 *
 * @param role         small or large side
 * @param model        the model's name
 * @param purpose      why it was called
 * @param inputTokens  prompt tokens billed (0 for a failed call)
 * @param outputTokens generated tokens billed (0 for a failed call)
 * @param costUsd      dollars under the request's cost model
 * @param latency      wall-clock duration
 * @param finishReason why generation ended, {@code null} when the call failed
 * @param error        the failure message, {@code null} when the call succeeded
 * @param tier         the name of the tier called (see {@link dev.shepherd.core.tier.Tiers}); with two
 *                     models and no ladder, the role's label ({@code "small"} or {@code "large"})
 */
public record CallRecord(ModelRole role, String model, CallPurpose purpose, int inputTokens, int outputTokens,
                         double costUsd, Duration latency, FinishReason finishReason, String error, String tier) {

    /** Rejects null role, model, purpose, latency or tier. */
    public CallRecord {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(tier, "tier");
    }

    /**
     * A call of a two-model executor: the tier is the role's label. Kept so that every caller written
     * before ladders existed (stores reading entries back, tests) compiles and means the same.
     */
    public CallRecord(ModelRole role, String model, CallPurpose purpose, int inputTokens, int outputTokens,
                      double costUsd, Duration latency, FinishReason finishReason, String error) {
        this(role, model, purpose, inputTokens, outputTokens, costUsd, latency, finishReason, error,
                role == null ? "" : role.label());
    }

    /** This call attributed to another tier. */
    public CallRecord withTier(String tier) {
        return new CallRecord(role, model, purpose, inputTokens, outputTokens, costUsd, latency, finishReason, error,
                tier);
    }

    /** This call at another price (a middle tier priced at its own rates). */
    public CallRecord withCostUsd(double costUsd) {
        return new CallRecord(role, model, purpose, inputTokens, outputTokens, costUsd, latency, finishReason, error,
                tier);
    }

    /** Whether the call failed. */
    public boolean failed() {
        return error != null;
    }

    /** Dollars of all {@code calls}: what a request cost. */
    public static double totalCostUsd(List<CallRecord> calls) {
        double sum = 0;
        for (CallRecord c : calls) {
            sum += c.costUsd();
        }
        return sum;
    }

    /** Tokens of one side summed over {@code calls}; {@code output} picks generated over prompt tokens. */
    public static long totalTokens(List<CallRecord> calls, ModelRole role, boolean output) {
        long sum = 0;
        for (CallRecord c : calls) {
            if (c.role() == role) {
                sum += output ? c.outputTokens() : c.inputTokens();
            }
        }
        return sum;
    }

    /**
     * The call whose text the request answered with: the last successful answer, sample or hint call
     * (a hint that came back complete is the answer), or {@code null} when there is none. When the
     * executor fell back ({@code fellBack}), the answer is the bottom tier's: the last successful
     * small-model answer or sample.
     */
    public static CallRecord answering(List<CallRecord> calls, boolean fellBack) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            CallRecord c = calls.get(i);
            boolean answers = c.purpose() == CallPurpose.ANSWER || c.purpose() == CallPurpose.SAMPLE
                    || c.purpose() == CallPurpose.CONFIDENCE || (!fellBack && c.purpose() == CallPurpose.HINT);
            if (!c.failed() && answers && (!fellBack || c.role() == ModelRole.SMALL)) {
                return c;
            }
        }
        return null;
    }

    /** Dollars per tier name over {@code calls}, in order of first appearance. */
    public static Map<String, Double> costByTier(List<CallRecord> calls) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (CallRecord c : calls) {
            out.merge(c.tier(), c.costUsd(), Double::sum);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Large-model output tokens bought as hints or help ({@link CallPurpose#HINT}, {@link CallPurpose#HELP}). */
    public static long totalHintTokens(List<CallRecord> calls) {
        long sum = 0;
        for (CallRecord c : calls) {
            if (c.purpose() == CallPurpose.HINT || c.purpose() == CallPurpose.HELP) {
                sum += c.outputTokens();
            }
        }
        return sum;
    }
}
