/**
 * Micrometer metrics for shepherd: {@link dev.shepherd.micrometer.ShepherdMetrics}, a {@code MeterBinder} fed by
 * the cost ledger's entries, with a timed predictor and spend-cap gauges;
 * {@link dev.shepherd.micrometer.langchain4j.ShepherdChatModelListener} times shepherded LangChain4j requests.
 */
package dev.shepherd.micrometer;
