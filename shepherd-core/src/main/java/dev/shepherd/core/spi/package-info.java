/**
 * Extension points for where accounting lives: a {@link dev.shepherd.core.spi.LedgerStore} behind
 * {@link dev.shepherd.core.cost.CostLedger#over(LedgerStore)} and a {@link dev.shepherd.core.spi.SpendCapStore}
 * behind {@link dev.shepherd.core.cost.SpendCap#over(SpendCapStore)}. Applications use the API types; only a
 * module that keeps entries or budgets elsewhere (a database, a shared service) implements these. The
 * in-process implementations are {@link dev.shepherd.core.spi.LedgerStore#inMemory()} and the store behind
 * {@link dev.shepherd.core.cost.SpendCap#of(double, java.time.Duration)}.
 */
package dev.shepherd.core.spi;
