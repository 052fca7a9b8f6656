package dev.shepherd.core.policy;

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
 * K small-model samples of one query with their extracted final answers and the vote over them;
 * shared by the agreement cascade and reactive shepherding. Immutable.
 */
record SampleSet(List<Completion> drawn, List<Optional<String>> answers, Votes votes) {

    /** Draws {@code k} samples of the un-hinted prompt ({@code sampling} null: the context's). */
    static SampleSet draw(Query query, PolicyContext context, int k, Sampling sampling, boolean logprobs) {
        GenerationRequest request = GenerationRequest.builder()
                .messages(context.template().messages(query, null))
                .sampling(sampling != null ? sampling : context.sampling())
                .logprobs(logprobs)
                .build();
        List<Completion> drawn = new ArrayList<>(k);
        List<Optional<String>> answers = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            Completion c = context.small(request, CallPurpose.SAMPLE);
            drawn.add(c);
            answers.add(context.extractor().extract(c.text()));
        }
        return new SampleSet(List.copyOf(drawn), List.copyOf(answers), Votes.count(answers));
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
