/**
 * The one model of a recorded multi-model trace (docs/trace-format.md) that replay, training and conversion share:
 * {@link dev.shepherd.trace.Trace} of {@link dev.shepherd.trace.TraceRecord}s, each holding every model's
 * {@link dev.shepherd.trace.Response}; {@link dev.shepherd.trace.TraceJsonl} reads and writes the JSONL format (and
 * reads {@code shepherd label} files as traces), {@link dev.shepherd.trace.RouteLlmCsv} imports RouteLLM's response
 * CSV, {@link dev.shepherd.trace.HoldoutSplit} splits by the hash of the id. Everything is immutable and thread-safe;
 * malformed input is a {@link dev.shepherd.trace.TraceFormatException} (a
 * {@link dev.shepherd.core.ShepherdException}) naming source, line and field.
 */
package dev.shepherd.trace;
