package dev.shepherd.core.policy;

import dev.shepherd.core.FailureKind;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.Votes;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The small-model samples of one query that succeeded (at most K), with their extracted final answers and
 * the vote over them; shared by the agreement cascade and reactive shepherding. Immutable.
 *
 * @param dropped how many of the K samples failed and were left out
 */
record SampleSet(List<Completion> drawn, List<Optional<String>> answers, Votes votes, int dropped) {

    /**
     * Draws {@code k} samples of the un-hinted prompt ({@code sampling} null: the context's). A sample
     * whose call fails (after the executor's retries) is dropped; the set holds the others.
     *
     * @throws ModelCallException when every sample failed (the first failure, the others suppressed in it),
     *                            or at once when one was refused as a {@link FailureKind#REQUEST_ERROR}:
     *                            the same request would fail the same way K times
     */
    static SampleSet draw(Query query, PolicyContext context, int k, Sampling sampling, boolean logprobs) {
        GenerationRequest request = GenerationRequest.builder()
                .messages(context.template().messages(query, null))
                .sampling(sampling != null ? sampling : context.sampling())
                .logprobs(logprobs)
                .build();
        List<Completion> drawn = new ArrayList<>(k);
        List<Optional<String>> answers = new ArrayList<>(k);
        ModelCallException failure = null;
        for (int i = 0; i < k; i++) {
            Completion c;
            try {
                c = context.small(request, CallPurpose.SAMPLE);
            } catch (ModelCallException e) {
                if (e.kind() == FailureKind.REQUEST_ERROR) {
                    throw e;
                }
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                continue;
            }
            drawn.add(c);
            answers.add(context.extractor().extract(c.text()));
        }
        if (drawn.isEmpty()) {
            throw failure;
        }
        return new SampleSet(List.copyOf(drawn), List.copyOf(answers), Votes.count(answers), k - drawn.size());
    }

    /** The notes a policy adds for this set: {@link PolicyOutcome#NOTE_SAMPLE_DROPPED} when a sample failed. */
    List<String> notes(String tallyNote) {
        return dropped == 0 ? List.of(tallyNote) : List.of(tallyNote, PolicyOutcome.NOTE_SAMPLE_DROPPED);
    }

    /** The first sample carrying the most frequent answer (the first sample when none stated one). */
    Completion plurality() {
        return drawn.get(Math.max(votes.firstIndex(), 0));
    }

    /** "c/K": how many samples gave the most frequent answer. */
    String tally() {
        return votes.count() + "/" + drawn.size();
    }
}
