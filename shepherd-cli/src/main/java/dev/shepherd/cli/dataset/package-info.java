/**
 * Dataset readers: GSM8K, HumanEval, MBPP and generic JSONL into core queries with gold answers.
 */
package dev.shepherd.cli.dataset;
