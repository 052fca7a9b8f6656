/**
 * Recorded two-model traces (RouteLLM response CSV) and their download cache.
 */
package dev.shepherd.cli.trace;
