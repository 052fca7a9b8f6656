/**
 * Helpers of the LangChain4j integration that need none of its API types: describing and classifying a
 * LangChain4j client exception and whether it can have been billed ({@code ModelErrors}), deriving the
 * executor for one chat request ({@code PerRequest}), and the JDK HTTP client that keeps a failed
 * response's {@code Retry-After} ({@code RetryAfterRecorder}). Not API: may change without notice.
 */
package dev.shepherd.langchain4j.internal;
