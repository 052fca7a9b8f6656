/**
 * Helpers of the LangChain4j integration that need none of its API types: describing and classifying a
 * LangChain4j client exception and whether it can have been billed ({@code ModelErrors}), deriving the
 * executor for one chat request ({@code PerRequest}), and wrappers of the JDK HTTP client LangChain4j uses
 * ({@code ForwardingHttpClient}): one keeps a failed response's {@code Retry-After} ({@code RetryAfterRecorder}),
 * one reads streams on pooled threads ({@code PooledSendClient}). Not API: may change without notice.
 */
package dev.shepherd.langchain4j.internal;
