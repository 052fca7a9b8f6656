/**
 * Running untrusted generated Python in a separate, limited process.
 */
package dev.shepherd.cli.sandbox;
