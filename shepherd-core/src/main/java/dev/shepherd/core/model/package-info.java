/**
 * The port to a model and the values that cross it: {@link dev.shepherd.core.model.Generator} (implemented
 * by the LangChain4j adapter, the in-process llama.cpp model and recorded traces), the
 * {@link dev.shepherd.core.model.GenerationRequest} it receives (messages, an optional assistant prefix,
 * output cap, {@link dev.shepherd.core.model.Sampling}) and the {@link dev.shepherd.core.model.Completion}
 * it returns (text, token counts, {@link dev.shepherd.core.model.FinishReason}, per-token entropies), plus
 * {@link dev.shepherd.core.model.ModelRole} naming the small and the large side. The bottom of core:
 * it depends on nothing else in shepherd.
 */
package dev.shepherd.core.model;
