/**
 * How a query becomes the messages a model sees: {@link PromptTemplate} (the
 * paper's {@code Instruction:} / {@code Question:} / {@code Hint:} layout, or the user's text unchanged)
 * and {@link HintPlacement}, which says whether a hint goes into the prompt or is
 * continued as a prefilled assistant message. See {@code docs/method.md#prompts}.
 */
package dev.shepherd.core.prompt;
