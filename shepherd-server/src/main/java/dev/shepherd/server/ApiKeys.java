package dev.shepherd.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The client keys a {@link ShepherdServer} admits ({@code Authorization: Bearer <key>}). Only SHA-256
 * digests are kept, and a presented key is compared with every one of them in constant time
 * ({@link MessageDigest#isEqual}), without an early exit, so neither the response time nor a heap dump
 * tells a key apart. Immutable and thread-safe; {@link #toString()} shows the count only.
 */
public final class ApiKeys {

    // One digest per thread: MessageDigest.getInstance looks the provider up anew on every call.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeys::newSha256);
    private static final ApiKeys NONE = new ApiKeys(List.of());

    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    /** No keys: every client is admitted. */
    public static ApiKeys none() {
        return NONE;
    }

    /**
     * These keys.
     *
     * @throws IllegalArgumentException naming the position of a blank key or one with whitespace
     */
    public static ApiKeys of(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        List<byte[]> digests = new ArrayList<>(keys.size());
        int i = 0;
        for (String key : keys) {
            if (key == null || key.isBlank() || key.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("keys[" + i + "] must be non-blank without whitespace but was "
                        + (key == null ? "null" : key.isBlank() ? "blank" : "a value with whitespace"));
            }
            digests.add(sha256(key));
            i++;
        }
        return new ApiKeys(List.copyOf(digests));
    }

    /**
     * The keys of a file: one per line; blank lines and lines starting with {@code #} are skipped.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException naming the file and line of a key with whitespace, or when it holds none
     */
    public static ApiKeys fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API keys from " + file, e);
        }
        List<String> keys = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": a key must not contain whitespace");
            }
            keys.add(line);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no API key (one per line; # starts a comment)");
        }
        return of(keys);
    }

    /**
     * The comma-separated keys of an environment value, e.g. {@code SHEPHERD_API_KEYS=key1,key2}.
     *
     * @throws IllegalArgumentException when the value holds no key
     */
    public static ApiKeys parse(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "commaSeparated");
        List<String> keys = new ArrayList<>();
        for (String k : commaSeparated.split(",")) {
            if (!k.isBlank()) {
                keys.add(k.strip());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no API key in the value (comma-separated keys expected)");
        }
        return of(keys);
    }

    /** Whether any key is required. */
    public boolean required() {
        return !digests.isEmpty();
    }

    /** How many keys are admitted. */
    public int size() {
        return digests.size();
    }

    /** Whether {@code presented} is one of the keys; constant time in the key, checks every digest. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] d = sha256(presented);
        boolean match = false;
        for (byte[] k : digests) {
            match |= MessageDigest.isEqual(k, d);
        }
        return match;
    }

    /** These keys and {@code other}'s. */
    public ApiKeys and(ApiKeys other) {
        List<byte[]> all = new ArrayList<>(digests);
        all.addAll(other.digests);
        return new ApiKeys(List.copyOf(all));
    }

    private static byte[] sha256(String key) {
        // digest() resets the instance for its next use on this thread
        return SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + digests.size() + " keys]";
    }
}
