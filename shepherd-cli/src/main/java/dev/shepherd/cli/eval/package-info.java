/**
 * Exact replay of traces, the paper's metrics (via core), quality functions and prompts.
 */
package dev.shepherd.cli.eval;
