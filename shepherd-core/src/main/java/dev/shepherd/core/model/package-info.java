/**
 * The port to a model and the values that cross it: {@link Generator} (implemented
 * by the LangChain4j adapter, the in-process llama.cpp model and recorded traces), the
 * {@link GenerationRequest} it receives (messages, an optional assistant prefix,
 * output cap, {@link Sampling}) and the {@link Completion}
 * it returns (text, token counts, {@link FinishReason}, per-token entropies), plus
 * {@link ModelRole} naming the small and the large side. The bottom of core:
 * it depends on nothing else in shepherd.
 */
package dev.shepherd.core.model;
