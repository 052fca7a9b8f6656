package dev.shepherd.core.policy;

import dev.shepherd.core.Decision;
import dev.shepherd.core.Query;
import dev.shepherd.core.answer.ConfidenceParser;
import dev.shepherd.core.cost.CallPurpose;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Confidence-calibrated cascading (COREA-style, docs/method.md#other-schemes): the small model answers and
 * states a confidence on a last line {@code Confidence: <0..1>} (asked for by an instruction line
 * appended to the rendered prompt, overridable). The confidence is read with
 * {@link ConfidenceParser}; an unparseable one counts as 0 and is noted
 * {@value #NOTE_UNPARSED}; a response that is only a confidence line is deferred and noted
 * {@value #NOTE_NO_ANSWER}. At or above the threshold the small model's answer is returned
 * without its confidence line ({@code SMALL_ONLY}); below it the large model's full answer is
 * bought ({@code LARGE_FULL}). Each result is noted {@code "confidence 0.85"}.
 *
 * <p>Pick the threshold on a validation set with {@link ConfidenceCalibration}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfidenceCascade implements ShepherdingPolicy {

    /** Note on results whose confidence could not be read (treated as 0). */
    public static final String NOTE_UNPARSED = "confidence-unparsed";

    /** Note on results where the small model stated a confidence but no answer (always deferred). */
    public static final String NOTE_NO_ANSWER = "confidence-without-answer";

    /** The default instruction appended to the prompt. */
    public static final String DEFAULT_INSTRUCTION = "After your answer, write one last line of the form "
            + "'Confidence: <number between 0 and 1>' stating how likely your answer is correct.";

    private final double threshold;
    private final String instruction;

    private ConfidenceCascade(Builder b) {
        this.threshold = b.threshold;
        this.instruction = b.instruction;
    }

    /** A builder; the threshold is required, the instruction is {@link #DEFAULT_INSTRUCTION} by default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "confidence-cascade";
    }

    /** The deferral threshold. */
    public double threshold() {
        return threshold;
    }

    /** The instruction line appended to the prompt. */
    public String instruction() {
        return instruction;
    }

    @Override
    public PolicyOutcome apply(Query query, PolicyContext context) {
        GenerationRequest request = GenerationRequest.builder()
                .messages(withInstruction(context.template().messages(query, null), instruction))
                .sampling(context.sampling())
                .build();
        Completion stated = context.small(request, CallPurpose.CONFIDENCE);
        OptionalDouble parsed = ConfidenceParser.parse(stated.text());
        double confidence = parsed.orElse(0);
        List<String> notes = new ArrayList<>(2);
        if (parsed.isEmpty()) {
            notes.add(NOTE_UNPARSED);
        }
        notes.add(String.format(Locale.ROOT, "confidence %.2f", confidence));
        Completion answer = new Completion(ConfidenceParser.strip(stated.text()), stated.inputTokens(),
                stated.outputTokens(), stated.finishReason(), stated.tokenEntropies());
        if (answer.text().isBlank()) {
            // A confidence without an answer is no answer: defer whatever the confidence.
            notes.add(NOTE_NO_ANSWER);
        } else if (confidence >= threshold) {
            return new PolicyOutcome(answer, Decision.smallOnly(), null, notes);
        }
        if (!answer.text().isBlank()) {
            context.offerFallback(answer);
        }
        return new PolicyOutcome(context.answerLarge(query), Decision.largeFull(), null, notes);
    }

    /** The messages with {@code line} appended to the last user message (the rendered question). */
    static List<PromptMessage> withInstruction(List<PromptMessage> messages, String line) {
        List<PromptMessage> out = new ArrayList<>(messages);
        for (int i = out.size() - 1; i >= 0; i--) {
            PromptMessage m = out.get(i);
            if (m.role() == PromptMessage.Role.USER) {
                out.set(i, PromptMessage.user(m.text() + "\n" + line));
                return out;
            }
        }
        out.add(PromptMessage.user(line));
        return out;
    }

    @Override
    public String toString() {
        return "ConfidenceCascade[threshold=" + threshold + "]";
    }

    /** Fail-fast builder; not thread-safe. */
    public static final class Builder {
        private double threshold = Double.NaN;
        private String instruction = DEFAULT_INSTRUCTION;

        private Builder() {
        }

        /** Defer to the large model when the stated confidence is below this, in [0, 1]; 0 never defers. Required. */
        public Builder threshold(double threshold) {
            this.threshold = Arguments.share("threshold", threshold);
            return this;
        }

        /**
         * The instruction line appended to the prompt (e.g. in the task's language); by default
         * {@link #DEFAULT_INSTRUCTION}.
         */
        public Builder instruction(String instruction) {
            this.instruction = Arguments.nonBlank("instruction", instruction).strip();
            return this;
        }

        /** @throws IllegalStateException when no threshold was set */
        public ConfidenceCascade build() {
            Arguments.required(!Double.isNaN(threshold), "threshold");
            return new ConfidenceCascade(this);
        }
    }
}
