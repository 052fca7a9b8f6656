/**
 * What a request is and how it can fail, shared by every other package: the {@link Query}
 * (a question, its context and optional reference answer), the {@link Decision} a policy
 * takes (small model only, a hint of n tokens, or the large model's full answer), and the one exception
 * root {@link ShepherdException} with its leaves {@link ModelCallException},
 * {@link SpendLimitExceededException} and {@link InvalidQueryException}.
 *
 * <p>This package depends only on {@link dev.shepherd.core.model}; the executor that runs a policy is in
 * {@link dev.shepherd.core.run}, the strategies in {@link dev.shepherd.core.policy}. The method is
 * described in {@code docs/method.md}.
 */
package dev.shepherd.core;
