package dev.shepherd.core.cost;

import dev.shepherd.core.Decision;
import dev.shepherd.core.model.ModelRole;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Map;

/**
 * Everything one request cost. Exactly one entry is written per request, also when it failed.
 * Immutable.
 *
 * @param requestId  unique per request
 * @param timestamp  when the request started
 * @param policy     the policy's name
 * @param queryId    the query's id (its text is not stored: it may be personal data)
 * @param decision   the decision taken, {@code null} when the request failed before deciding
 * @param calls      every model call, in order
 * @param succeeded  whether an answer was returned
 * @param error      the failure message when it was not, else {@code null}
 * @param notes      flags such as {@code llm-unavailable} or {@code spend-cap}
 */
public record LedgerEntry(String requestId, Instant timestamp, String policy, String queryId, Decision decision,
                          List<CallRecord> calls, boolean succeeded, String error, List<String> notes) {

    /** Rejects null identifiers; copies the lists. */
    public LedgerEntry {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(queryId, "queryId");
        calls = List.copyOf(calls);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Total dollars of all calls. */
    public double costUsd() {
        return CallRecord.totalCostUsd(calls);
    }

    /** Tokens of one side and direction, summed over calls. */
    public long tokens(ModelRole role, boolean output) {
        return CallRecord.totalTokens(calls, role, output);
    }

    /**
     * The call whose text was the answer (its {@link CallRecord#tier()} and {@link CallRecord#model()}
     * name who answered), or {@code null} for a failed request; see {@link CallRecord#answering}.
     */
    public CallRecord answeredBy() {
        return succeeded ? CallRecord.answering(calls, notes.contains("llm-unavailable") || notes.contains("spend-cap"))
                : null;
    }

    /** Dollars per tier name, in order of first call: the per-tier ledger of this request. */
    public Map<String, Double> costByTier() {
        return CallRecord.costByTier(calls);
    }

    /** Large-model output tokens bought as hints. */
    public long hintTokens() {
        return CallRecord.totalHintTokens(calls);
    }
}
