/**
 * Money: {@link TokenPrices} and the {@link CostModel} that
 * prices each side's tokens (see {@code docs/method.md#cost-model}), the
 * {@link SpendCap} that reserves large-model spend before a call, and the accounting:
 * one {@link CallRecord} per model call, one {@link LedgerEntry}
 * per request in the {@link CostLedger}, whose
 * {@link CostTotals} are an immutable snapshot.
 */
package dev.shepherd.core.cost;
