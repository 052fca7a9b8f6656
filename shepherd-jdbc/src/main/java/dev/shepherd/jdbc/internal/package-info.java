/** Implementation details of {@code shepherd-jdbc}: no compatibility promise. */
package dev.shepherd.jdbc.internal;
