/**
 * Outputs: the paper-style table, JSON, Markdown/HTML reports and the cost-vs-accuracy plot.
 */
package dev.shepherd.cli.report;
