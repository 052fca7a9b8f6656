package dev.shepherd.core.hint;

import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.Query;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.Sampling;
import dev.shepherd.core.prompt.PromptTemplate;
import java.util.Objects;

/**
 * Gets {@code hint(q, n)}: the large model's first {@code n} output tokens for a query.
 * Thread-safe implementations only.
 */
public interface HintProvider {

    /** Name of the model the hints come from, for traces and errors. */
    String name();

    /**
     * Returns the first {@code maxTokens} tokens of the large model's answer to {@code query}. The
     * hint may be shorter when the answer itself is.
     *
     * @throws ModelCallException when the large model fails
     */
    Hint hint(Query query, int maxTokens);

    /**
     * The paper's provider: the large model answers the same prompt with
     * {@code maxOutputTokens = n} at temperature 0; the capped prefix is the hint.
     */
    static HintProvider prefixOf(Generator large, PromptTemplate template) {
        return prefixOf(large, template, Sampling.GREEDY);
    }

    /** As {@link #prefixOf(Generator, PromptTemplate)} with other sampling. */
    static HintProvider prefixOf(Generator large, PromptTemplate template, Sampling sampling) {
        Objects.requireNonNull(large, "large");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(sampling, "sampling");
        return new HintProvider() {
            @Override
            public String name() {
                return large.name();
            }

            @Override
            public Hint hint(Query query, int maxTokens) {
                if (maxTokens <= 0) {
                    throw new IllegalArgumentException("maxTokens must be > 0 but was " + maxTokens);
                }
                Completion c = large.generate(GenerationRequest.builder()
                        .messages(template.messages(query, null))
                        .maxOutputTokens(maxTokens)
                        .sampling(sampling)
                        .build());
                if (c == null) {
                    throw new ModelCallException(ModelRole.LARGE, large.name(), "returned no completion");
                }
                return new Hint(c.text(), Math.min(c.outputTokens(), maxTokens), c);
            }
        };
    }
}
