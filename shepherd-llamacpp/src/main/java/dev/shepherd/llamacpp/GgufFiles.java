package dev.shepherd.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks a GGUF path in Java before native code sees it: llama.cpp aborts the process (not just
 * the call) on some malformed inputs, so only files that start with the GGUF magic get through.
 */
final class GgufFiles {

    private static final byte[] MAGIC = "GGUF".getBytes(StandardCharsets.US_ASCII);

    private GgufFiles() {}

    /**
     * Returns the absolute, normalised path of a readable regular file that starts with "GGUF".
     *
     * @throws ModelLoadException naming the path when it is missing, a directory, unreadable or
     *     not a GGUF file
     */
    static Path requireGguf(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new ModelLoadException(absolute, "the file does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new ModelLoadException(absolute, "the path is a directory, not a GGUF file");
        }
        if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
            throw new ModelLoadException(absolute, "the path is not a readable regular file");
        }
        byte[] head = new byte[MAGIC.length];
        int read;
        try (InputStream in = Files.newInputStream(absolute)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new ModelLoadException(absolute, "the file cannot be read (" + e.getMessage() + ")", e);
        }
        if (read < MAGIC.length || !Arrays.equals(head, MAGIC)) {
            throw new ModelLoadException(absolute, "not a GGUF file (it does not start with the magic bytes \"GGUF\", found "
                    + describe(head, read) + ")");
        }
        return absolute;
    }

    private static String describe(byte[] head, int read) {
        if (read <= 0) {
            return "an empty file";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < read; i++) {
            hex.append(String.format("%02x", head[i] & 0xff));
        }
        return "0x" + hex;
    }
}
