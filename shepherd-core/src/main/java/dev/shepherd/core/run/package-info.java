/**
 * Running a policy: {@link Shepherd}, the executor every integration goes through
 * (it prices and records every call, keeps the spend cap and writes one ledger entry per request), its
 * {@link ShepherdResult}, and the {@link FailureMode} that says
 * what a large-model failure does. The top of core: it depends on every other package and none depends on
 * it except {@link dev.shepherd.core.metrics}, which scores its results.
 */
package dev.shepherd.core.run;
