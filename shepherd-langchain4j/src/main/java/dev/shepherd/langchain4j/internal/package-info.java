/**
 * Helpers of the LangChain4j integration that need none of its API types: describing a LangChain4j client
 * exception and whether it can have been billed ({@code ModelErrors}), and deriving the executor for one
 * chat request ({@code PerRequest}). Not API: may change without notice.
 */
package dev.shepherd.langchain4j.internal;
