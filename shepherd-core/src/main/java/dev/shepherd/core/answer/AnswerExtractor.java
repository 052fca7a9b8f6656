package dev.shepherd.core.answer;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the final answer out of a model's response, so that K samples can be compared and a
 * response scored. Implementations are pure and thread-safe.
 */
@FunctionalInterface
public interface AnswerExtractor {

    /** The final answer, or empty when the response states none. Never throws on any string. */
    Optional<String> extract(String response);

    /**
     * The final answer.
     *
     * @throws AnswerNotFoundException when the response states none
     */
    default String extractOrThrow(String response) {
        return extract(response).orElseThrow(() -> new AnswerNotFoundException(response));
    }

    /**
     * Math answers: the number after the last {@code ####}, else inside the last
     * {@code \boxed{…}}, else after "the answer is", else the last number in the text.
     * Numbers are normalised: {@code 1,000 → 1000}, {@code 18.0 → 18}, {@code $18 → 18},
     * {@code 50% → 50}, {@code 3/4} kept as a fraction.
     */
    static AnswerExtractor math() {
        return MathAnswers::extract;
    }

    /** Code answers: the last fenced block ({@code ```python … ```}), else the whole text, trimmed. */
    static AnswerExtractor code() {
        Pattern fence = Pattern.compile("```[a-zA-Z0-9_+-]*[ \\t]*\\r?\\n(.*?)```", Pattern.DOTALL);
        return response -> {
            if (response == null || response.isBlank()) {
                return Optional.empty();
            }
            Matcher m = fence.matcher(response);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last == null) {
                int open = response.indexOf("```");
                if (open >= 0) { // an unterminated fence: take what follows it
                    int nl = response.indexOf('\n', open);
                    last = nl < 0 ? "" : response.substring(nl + 1);
                } else {
                    last = response;
                }
            }
            String code = last.strip();
            return code.isEmpty() ? Optional.empty() : Optional.of(code);
        };
    }

    /** Free text: the response with whitespace collapsed and case folded; for chat traffic. */
    static AnswerExtractor normalizedText() {
        return response -> {
            if (response == null) {
                return Optional.empty();
            }
            String s = response.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        };
    }
}
