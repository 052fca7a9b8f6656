package dev.shepherd.cli.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so a reader never sees a half-written one: write a temporary sibling, then rename it into place.
 * The file gets the permissions of any new file under the user's umask (not a temporary file's private ones).
 * Stateless and thread-safe.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to {@code target} atomically (temporary sibling, then rename).
     *
     * @param target the file
     * @param bytes the content
     */
    public static void write(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = tempSibling(abs);
            try {
                // not Files.createTempFile: that makes the file rw------- whatever the umask, and the rename keeps it
                try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    o.write(bytes);
                }
                move(tmp, abs);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A fresh, unused name next to {@code target}, for its temporary copy. */
    static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                + ".tmp");
    }

    /** Renames {@code from} to {@code to}, atomically where the file system allows. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
