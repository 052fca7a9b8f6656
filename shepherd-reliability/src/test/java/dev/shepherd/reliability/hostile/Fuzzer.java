package dev.shepherd.reliability.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded input mutation for the parser fuzz tests: truncations and byte mutations of valid inputs, splices of
 * two inputs, and random strings built from the tokens parsers care about. Not thread-safe.
 */
final class Fuzzer {

    private static final String[] TOKENS = {"####", "\\boxed{", "}", "{", "```", "```python\n", "the answer is",
            "Confidence:", "confidence", "%", "/", "1,000", "-3.5", ".", ",", "$", "\n", "\r", "\r\n", "\t", " ",
            "\"", "\\", "\\u0000", "\u0000", "\u2028", "\u202E", "\u200B", "\uFEFF", "\uD83D\uDE00", "\uD800", "e99999",
            "NaN", "Infinity", "true", "false", "null", "[", "]", ":", "'", "very high", "low", "prompt", "id"};

    private static final String MUTATIONS = "{}[]\",:\n\\0#";

    private final Random random;

    Fuzzer(long seed) {
        this.random = new Random(seed);
    }

    /** One fuzzed input derived from {@code seeds}. */
    byte[] next(List<byte[]> seeds) {
        byte[] base = seeds.get(random.nextInt(seeds.size()));
        switch (random.nextInt(5)) {
            case 0: // truncation
                return java.util.Arrays.copyOf(base, base.length == 0 ? 0 : random.nextInt(base.length));
            case 1: // byte mutations
                return mutate(base);
            case 2: // splice of two inputs
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int a = base.length == 0 ? 0 : random.nextInt(base.length);
                int b = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] out = new byte[a + other.length - b];
                System.arraycopy(base, 0, out, 0, a);
                System.arraycopy(other, b, out, a, other.length - b);
                return out;
            case 3: // tokens
                return text().getBytes(StandardCharsets.UTF_8);
            default: // random bytes
                byte[] r = new byte[random.nextInt(256)];
                random.nextBytes(r);
                return r;
        }
    }

    /** A random string of parser-relevant tokens, digits and letters. */
    String text() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(3)) {
                case 0 -> sb.append(TOKENS[random.nextInt(TOKENS.length)]);
                case 1 -> sb.append(random.nextInt(100_000));
                default -> sb.append((char) random.nextInt(0x3000));
            }
        }
        return sb.toString();
    }

    private byte[] mutate(byte[] base) {
        List<Byte> out = new ArrayList<>(base.length + 8);
        for (byte x : base) {
            out.add(x);
        }
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.size());
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (!out.isEmpty()) {
                        out.set(at, (byte) random.nextInt(256));
                    }
                }
                case 1 -> out.add(at, (byte) MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
                default -> {
                    if (!out.isEmpty()) {
                        out.remove(at);
                    }
                }
            }
        }
        byte[] r = new byte[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
