/**
 * Engine helpers of {@code shepherd-llamacpp} that need none of its API types: argument checks, request
 * settings in llama.cpp's form, the streamed token loop and the native log redirection. Not API: may change
 * without notice.
 */
package dev.shepherd.llamacpp.internal;
