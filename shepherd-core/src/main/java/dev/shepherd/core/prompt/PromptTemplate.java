package dev.shepherd.core.prompt;

import dev.shepherd.core.Query;
import dev.shepherd.core.model.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders the paper's prompt (docs/method.md#prompts), the same for the small and the large model:
 *
 * <pre>
 * Instruction: &lt;instruction&gt;      (omitted when there is none)
 * &lt;examples&gt;                      (few-shot block, omitted when empty)
 * Question: &lt;query&gt;
 * Hint: &lt;hint&gt;                     (omitted when there is no hint)
 * </pre>
 *
 * <p>The hint is untrusted model output. {@link #sanitizeHint(String)} removes control and
 * invisible format characters and indents every continuation line, so no line of a hint can
 * start a field of its own ({@code Question:}, {@code Instruction:}, another {@code Hint:}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptTemplate {

    private final String instruction;
    private final String examples;
    private final boolean bareQueryWithoutHint;

    private PromptTemplate(Builder b) {
        this.instruction = b.instruction == null ? "" : b.instruction.strip();
        this.examples = b.examples == null ? "" : b.examples.strip();
        this.bareQueryWithoutHint = b.bareQueryWithoutHint;
    }

    /** The paper's template with the given task instruction. */
    public static PromptTemplate paper(String instruction) {
        return builder().instruction(instruction).build();
    }

    /**
     * A template for chat traffic: the user's text is sent unchanged when there is no hint, and
     * as {@code Question: … / Hint: …} when there is one.
     */
    public static PromptTemplate chat() {
        return builder().bareQueryWithoutHint(true).build();
    }

    /** A builder of a custom template. */
    public static Builder builder() {
        return new Builder();
    }

    /** The user message text for a query and an optional hint ({@code null} or empty: none). */
    public String render(String question, String hint) {
        Objects.requireNonNull(question, "question");
        boolean hasHint = hint != null && !hint.isEmpty();
        if (!hasHint && bareQueryWithoutHint && instruction.isEmpty() && examples.isEmpty()) {
            return question;
        }
        StringBuilder sb = new StringBuilder(question.length() + 64);
        if (!instruction.isEmpty()) {
            sb.append("Instruction: ").append(instruction).append('\n');
        }
        if (!examples.isEmpty()) {
            sb.append(examples).append('\n');
        }
        sb.append("Question: ").append(question);
        if (hasHint) {
            sb.append("\nHint: ").append(sanitizeHint(hint));
        }
        return sb.toString();
    }

    /** The full message list: the query's context, then the rendered question. */
    public List<PromptMessage> messages(Query query, String hint) {
        List<PromptMessage> out = new ArrayList<>(query.context().size() + 1);
        out.addAll(query.context());
        out.add(PromptMessage.user(render(query.text(), hint)));
        return out;
    }

    /**
     * Makes untrusted hint text safe to embed: drops control characters (except newline and tab)
     * and Unicode format characters (zero-width, bidi overrides), normalises line breaks and
     * indents each continuation line by two spaces.
     */
    public static String sanitizeHint(String hint) {
        StringBuilder sb = new StringBuilder(hint.length());
        for (int i = 0; i < hint.length(); ) {
            int cp = hint.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r') {
                if (i < hint.length() && hint.charAt(i) == '\n') {
                    continue;
                }
                cp = '\n';
            }
            if (cp == '\n') {
                sb.append("\n  ");
                continue;
            }
            int type = Character.getType(cp);
            if (cp != '\t' && (type == Character.CONTROL || type == Character.FORMAT
                    || cp == 0x2028 || cp == 0x2029)) {
                continue;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** The task instruction, empty when none. */
    public String instruction() {
        return instruction;
    }

    /** The few-shot block, empty when none. */
    public String examples() {
        return examples;
    }

    /** Not thread-safe; the built template is. */
    public static final class Builder {
        private String instruction;
        private String examples;
        private boolean bareQueryWithoutHint;

        private Builder() {
        }

        /** The task instruction, e.g. "Solve the problem and end with '#### &lt;number&gt;'". */
        public Builder instruction(String instruction) {
            this.instruction = instruction;
            return this;
        }

        /** A few-shot block placed between the instruction and the question. */
        public Builder examples(String examples) {
            this.examples = examples;
            return this;
        }

        /** Send the bare query (no {@code Question:} label) when there is no hint and no instruction. */
        public Builder bareQueryWithoutHint(boolean bare) {
            this.bareQueryWithoutHint = bare;
            return this;
        }

        /** The template. */
        public PromptTemplate build() {
            return new PromptTemplate(this);
        }
    }
}
