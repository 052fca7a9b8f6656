package dev.shepherd.core.run;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids for requests and queries, in the form of version-4 UUIDs. Drawn from
 * {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}: an id only has to be unique, and
 * {@code randomUUID}'s {@code SecureRandom} takes a process-wide lock (and reads {@code /dev/urandom}) on
 * every request of a busy server. Not for secrets. Thread-safe.
 */
public final class RequestIds {

    private RequestIds() {
    }

    /** A new random id, e.g. {@code 3f1c2d9e-8a4b-4c6d-9e7f-0a1b2c3d4e5f}. */
    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }
}
