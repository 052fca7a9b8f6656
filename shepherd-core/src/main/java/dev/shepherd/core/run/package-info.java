/**
 * Running a policy: {@link Shepherd}, the executor every integration goes through
 * (it prices, retries and records every call, keeps the spend cap and the request deadline and writes one
 * ledger entry per request), its {@link ShepherdResult}, the {@link FailureMode} that says what a
 * large-model failure does, the {@link SmallFailureMode} that says what a small-model failure does, and
 * the {@link RetryPolicy} for failed calls. The top of core: it depends on every other package and none
 * depends on it except {@link dev.shepherd.core.metrics}, which scores its results.
 */
package dev.shepherd.core.run;
