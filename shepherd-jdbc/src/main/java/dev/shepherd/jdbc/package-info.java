/**
 * Accounting that outlives the process and is shared by a fleet: {@link dev.shepherd.jdbc.ShepherdDatabase}
 * (a pooled, migrated database: an embedded H2 file by default, PostgreSQL for fleets),
 * {@link dev.shepherd.jdbc.JdbcLedgerStore} behind {@link dev.shepherd.core.cost.CostLedger#over} and
 * {@link dev.shepherd.jdbc.JdbcSpendCapStore} behind {@link dev.shepherd.core.cost.SpendCap#over}.
 */
package dev.shepherd.jdbc;
