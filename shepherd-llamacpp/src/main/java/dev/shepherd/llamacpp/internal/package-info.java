/** Implementation details of {@code shepherd-llamacpp}; not API, may change without notice. */
package dev.shepherd.llamacpp.internal;
