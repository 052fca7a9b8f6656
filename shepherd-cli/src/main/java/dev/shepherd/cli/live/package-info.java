/**
 * Live models: configuration, LangChain4j/llama.cpp clients, policies and live evaluation.
 */
package dev.shepherd.cli.live;
