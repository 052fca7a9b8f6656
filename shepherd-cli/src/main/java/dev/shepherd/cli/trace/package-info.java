/**
 * Where {@code --trace} arguments lead: the trace formats (shepherd-trace's JSONL and RouteLLM CSV readers) and the
 * download cache of https traces.
 */
package dev.shepherd.cli.trace;
