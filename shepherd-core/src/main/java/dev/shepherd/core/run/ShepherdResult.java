package dev.shepherd.core.run;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.ModelRole;
import java.util.List;
import java.util.Objects;
import java.util.Map;

/**
 * The answer to one request and everything it cost. Immutable.
 *
 * @param requestId the ledger entry's id
 * @param query     the query answered
 * @param answer    the answering completion; its text is the response
 * @param decision  what was decided (after any fallback: {@code SMALL_ONLY} when the large model was skipped)
 * @param hint      the hint bought, or {@code null}
 * @param calls     every model call, in order
 * @param notes     flags: {@link #NOTE_LARGE_UNAVAILABLE}, {@link #NOTE_SPEND_CAP} and policy notes
 */
public record ShepherdResult(String requestId, Query query, Completion answer, Decision decision, Hint hint,
                             List<CallRecord> calls, List<String> notes) {

    /** The large model failed and the small model's answer was returned instead. */
    public static final String NOTE_LARGE_UNAVAILABLE = "llm-unavailable";
    /** The spend cap refused a large-model call and the small model's answer was returned instead. */
    public static final String NOTE_SPEND_CAP = "spend-cap";

    /** Copies the lists; rejects null answer, decision, query or id. */
    public ShepherdResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(decision, "decision");
        calls = List.copyOf(calls);
        notes = List.copyOf(notes);
    }

    /** The response text. */
    public String text() {
        return answer.text();
    }

    /** Total dollars of all calls. */
    public double costUsd() {
        return CallRecord.totalCostUsd(calls);
    }

    /** Tokens summed over calls of one side; {@code output} picks generated over prompt tokens. */
    public long tokens(ModelRole role, boolean output) {
        return CallRecord.totalTokens(calls, role, output);
    }

    /**
     * The call whose text is the answer: its {@link CallRecord#tier()} and {@link CallRecord#model()}
     * name who answered. {@code null} only for an answer no recorded call produced (a custom policy's).
     */
    public CallRecord answeredBy() {
        return CallRecord.answering(calls, degraded());
    }

    /** Dollars per tier name, in order of first call. */
    public Map<String, Double> costByTier() {
        return CallRecord.costByTier(calls);
    }

    /** Whether the large model was skipped or failed and the small model answered in its place. */
    public boolean degraded() {
        return notes.contains(NOTE_LARGE_UNAVAILABLE) || notes.contains(NOTE_SPEND_CAP);
    }
}
