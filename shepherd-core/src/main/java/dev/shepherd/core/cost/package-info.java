/**
 * Money: {@link dev.shepherd.core.cost.TokenPrices} and the {@link dev.shepherd.core.cost.CostModel} that
 * prices each side's tokens (see {@code docs/method.md#cost-model}), the
 * {@link dev.shepherd.core.cost.SpendCap} that reserves large-model spend before a call, and the accounting:
 * one {@link dev.shepherd.core.cost.CallRecord} per model call, one {@link dev.shepherd.core.cost.LedgerEntry}
 * per request in the {@link dev.shepherd.core.cost.CostLedger}, whose
 * {@link dev.shepherd.core.cost.CostTotals} are an immutable snapshot.
 */
package dev.shepherd.core.cost;
