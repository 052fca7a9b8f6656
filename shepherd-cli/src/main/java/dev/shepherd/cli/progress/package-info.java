/**
 * The progress line that long-running verbs (label, live eval) redraw on stderr: bar, counts, elapsed time, ETA.
 */
package dev.shepherd.cli.progress;
