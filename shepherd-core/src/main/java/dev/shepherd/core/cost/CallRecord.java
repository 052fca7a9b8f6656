package dev.shepherd.core.cost;

import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.ModelRole;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 */
public record CallRecord(ModelRole role, String model, CallPurpose purpose, int inputTokens, int outputTokens,
                         double costUsd, Duration latency, FinishReason finishReason, String error) {

    /** Rejects null role, model, purpose or latency. */
    public CallRecord {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(latency, "latency");
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
