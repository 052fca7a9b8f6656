/**
 * An OpenAI-compatible HTTP server over shepherd's LangChain4j models: {@link dev.shepherd.server.ShepherdServer}
 * serves {@code /v1/chat/completions} (complete and streamed), {@code /v1/models}, {@code /health} and
 * {@code /metrics}, with bearer keys ({@link dev.shepherd.server.ApiKeys}), size and concurrency limits and a
 * graceful shutdown. Built on Jetty 12's core handlers.
 */
package dev.shepherd.server;
