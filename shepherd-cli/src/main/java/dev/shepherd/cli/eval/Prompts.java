package dev.shepherd.cli.eval;

import dev.shepherd.cli.dataset.TaskKind;
import dev.shepherd.core.answer.AnswerExtractor;
import dev.shepherd.core.prompt.PromptTemplate;

/**
 * The paper's prompt layout (docs/method.md#prompts) per task kind; the same instruction for SLM and LLM.
 * Stateless and thread-safe.
 */
public final class Prompts {

    private static final PromptTemplate MATH = PromptTemplate.paper("Solve the problem step by step. End with a "
            + "line of the form '#### <number>' holding only the final numeric answer.");
    private static final PromptTemplate CODE = PromptTemplate.paper("Write a Python solution that satisfies the "
            + "specification, the signature and the tests. Output only runnable Python code, no explanation.");
    private static final PromptTemplate TEXT = PromptTemplate.paper("Answer the question. Reply with the answer only.");

    private Prompts() {
    }

    /** Returns the template for a task kind. */
    public static PromptTemplate forKind(TaskKind kind) {
        return switch (kind) {
            case MATH -> MATH;
            case CODE -> CODE;
            case TEXT -> TEXT;
        };
    }

    /** Returns the final-answer extractor for a task kind (math, code block, normalised text). */
    public static AnswerExtractor extractor(TaskKind kind) {
        return switch (kind) {
            case MATH -> AnswerExtractor.math();
            case CODE -> AnswerExtractor.code();
            case TEXT -> AnswerExtractor.normalizedText();
        };
    }
}
