/**
 * The shepherd command line: verbs (eval, ask, label, train, calibrate), exit codes and typed input errors.
 */
package dev.shepherd.cli;
