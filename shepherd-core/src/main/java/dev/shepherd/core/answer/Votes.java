package dev.shepherd.core.answer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The most frequent final answer among K samples, and how many samples gave it. Immutable.
 *
 * @param answer    the winning answer, empty when no sample stated one
 * @param count     how many samples gave it
 * @param samples   K
 * @param firstIndex index of the first sample that gave it (its text is returned to the caller)
 */
public record Votes(Optional<String> answer, int count, int samples, int firstIndex) {

    /** Counts extracted answers; samples with no answer never agree with anything. Ties go to the earliest. */
    public static Votes count(List<Optional<String>> answers) {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int bestCount = 0;
        int bestIndex = -1;
        for (int i = 0; i < answers.size(); i++) {
            Optional<String> a = answers.get(i);
            if (a.isEmpty()) {
                continue;
            }
            int c = counts.merge(a.get(), 1, Integer::sum);
            if (c > bestCount) {
                best = a.get();
                bestCount = c;
                bestIndex = answers.indexOf(a);
            }
        }
        return new Votes(Optional.ofNullable(best), bestCount, answers.size(), bestIndex);
    }

    /** Whether at least {@code k} samples agree on a stated answer. */
    public boolean agree(int k) {
        return answer.isPresent() && count >= k;
    }
}
