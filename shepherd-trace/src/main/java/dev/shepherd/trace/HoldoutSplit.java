package dev.shepherd.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A deterministic train/test split of a trace by the hash of each query's id, so that "train on one part, evaluate
 * on the other" needs no file of ids and gives the same parts on every machine and in every run, whatever the order
 * of the records: a query is held out (in {@link Part#TEST}) iff {@code u(id) < fraction}, where {@code u(id)} is the
 * first 53 bits of SHA-256(UTF-8 id) read as a number in [0, 1). The part of one id never depends on the others, so
 * adding queries to a trace never moves an old one to the other side.
 *
 * <p>Immutable and thread-safe.
 *
 * @param fraction the held-out share in (0, 1)
 */
public record HoldoutSplit(double fraction) {

    /** The held-out share used when only a part is named: half. */
    public static final double DEFAULT_FRACTION = 0.5;

    /** The two sides of the split. */
    public enum Part {
        /** The queries not held out. */
        TRAIN,
        /** The held-out queries. */
        TEST;

        /**
         * Parses {@code train} or {@code test}, ignoring case.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Part parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "train" -> TRAIN;
                case "test" -> TEST;
                default -> throw new IllegalArgumentException("split part must be train or test but was '" + s + "'");
            };
        }
    }

    /** Validates. */
    public HoldoutSplit {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be in (0, 1) but was " + fraction);
        }
    }

    /** Returns {@code u(id)} in [0, 1): the first 53 bits of SHA-256 of the id. */
    public static double unit(String id) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return (v >>> 11) * 0x1.0p-53;
    }

    /** Returns the part the id falls in. */
    public Part partOf(String id) {
        return unit(id) < fraction ? Part.TEST : Part.TRAIN;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "held-out share %.2f by SHA-256 of the id", fraction);
    }
}
