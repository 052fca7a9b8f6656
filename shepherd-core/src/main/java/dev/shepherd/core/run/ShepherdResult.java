package dev.shepherd.core.run;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CallRecord;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.policy.PolicyOutcome;
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
 * @param notes     flags: {@link #NOTE_LARGE_UNAVAILABLE}, {@link #NOTE_SPEND_CAP}, {@link #NOTE_SMALL_UNAVAILABLE},
 *                  {@link #NOTE_SAMPLE_DROPPED}, {@link #NOTE_RETRIED} and policy notes
 */
public record ShepherdResult(String requestId, Query query, Completion answer, Decision decision, Hint hint,
                             List<CallRecord> calls, List<String> notes) {

    /** The large model failed and the small model's answer was returned instead. */
    public static final String NOTE_LARGE_UNAVAILABLE = "llm-unavailable";
    /** The spend cap refused a large-model call and the small model's answer was returned instead. */
    public static final String NOTE_SPEND_CAP = "spend-cap";
    /**
     * The small model failed for good and the large model answered in its place
     * ({@link SmallFailureMode#FALLBACK_TO_LARGE}).
     */
    public static final String NOTE_SMALL_UNAVAILABLE = "slm-unavailable";
    /** At least one of the K small-model samples failed and the decision was taken on the others. */
    public static final String NOTE_SAMPLE_DROPPED = PolicyOutcome.NOTE_SAMPLE_DROPPED;
    /** At least one model call failed and was tried again ({@link RetryPolicy}); the calls show every attempt. */
    public static final String NOTE_RETRIED = "retried";

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
        // only a fallback to the small model makes a later large call not the answer
        return CallRecord.answering(calls, notes.contains(NOTE_LARGE_UNAVAILABLE) || notes.contains(NOTE_SPEND_CAP));
    }

    /** Dollars per tier name, in order of first call. */
    public Map<String, Double> costByTier() {
        return CallRecord.costByTier(calls);
    }

    /**
     * Whether one model was skipped or failed and the other answered in its place: the large model's
     * answer or hint replaced by the small model's ({@link #NOTE_LARGE_UNAVAILABLE}, {@link #NOTE_SPEND_CAP}),
     * or the small model's by the large model's ({@link #NOTE_SMALL_UNAVAILABLE}).
     */
    public boolean degraded() {
        return notes.contains(NOTE_LARGE_UNAVAILABLE) || notes.contains(NOTE_SPEND_CAP)
                || notes.contains(NOTE_SMALL_UNAVAILABLE);
    }
}
