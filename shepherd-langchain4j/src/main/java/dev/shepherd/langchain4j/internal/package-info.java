/** Implementation details of the LangChain4j integration; not API, may change without notice. */
package dev.shepherd.langchain4j.internal;
