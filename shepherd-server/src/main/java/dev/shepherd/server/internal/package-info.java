/** The server's engine: request parsing, response writing, errors and metrics. Not an API. */
package dev.shepherd.server.internal;
