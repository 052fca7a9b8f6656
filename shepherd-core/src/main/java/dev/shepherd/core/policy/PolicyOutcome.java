package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.hint.Hint;
import dev.shepherd.core.model.Completion;
import java.util.List;
import java.util.Objects;

/**
 * What a policy returns: the completion that answers the query, the decision that produced it and
 * the hint that was bought, if any. Immutable.
 *
 * @param answer   the answering completion (for a continuation hint: hint text plus continuation)
 * @param decision what the policy decided
 * @param hint     the hint, or {@code null}
 * @param notes    policy-specific flags for the trace (e.g. {@code "agreed 3/3"})
 */
public record PolicyOutcome(Completion answer, Decision decision, Hint hint, List<String> notes) {

    /**
     * The note of a policy that drew K small-model samples when some failed: the failed ones were dropped
     * and the decision taken on the others (their tally, e.g. {@code "agreed 2/2"}, counts only those).
     */
    public static final String NOTE_SAMPLE_DROPPED = "sample-dropped";

    /** Rejects a null answer or decision; copies the notes. */
    public PolicyOutcome {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(decision, "decision");
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** An outcome without hint or notes. */
    public static PolicyOutcome of(Completion answer, Decision decision) {
        return new PolicyOutcome(answer, decision, null, List.of());
    }
}
