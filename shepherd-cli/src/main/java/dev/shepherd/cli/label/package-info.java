/**
 * n* labeling: the labeler, the resumable append-only label file and the concurrent run.
 */
package dev.shepherd.cli.label;
