package dev.shepherd.cli.world;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one tokenizer of the {@link HintWorld}, used for usage counts, {@code max_tokens} truncation and hint-share
 * measurement: a token is a maximal run of non-whitespace characters together with the whitespace before it
 * ({@code "a  b\nc"} → {@code ["a", "  b", "\nc"]}), so the first n tokens concatenated are exactly the text a real
 * server returns for {@code max_tokens = n}, and the token count is the number of whitespace-separated words.
 * Stateless and thread-safe.
 */
public final class WorldTokens {

    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private WorldTokens() {
    }

    /** The tokens of {@code text}, leading whitespace included; empty for {@code null}. */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The words of {@code text} (tokens without their whitespace). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String t : tokens(text)) {
            out.add(t.strip());
        }
        return out;
    }

    /** How many tokens {@code text} has. */
    public static int count(String text) {
        return tokens(text).size();
    }

    /** The first {@code n} tokens of {@code text}, concatenated. */
    public static String truncate(String text, int n) {
        List<String> t = tokens(text);
        return String.join("", t.subList(0, Math.max(0, Math.min(n, t.size()))));
    }

    /** Collapses every whitespace run to one space and strips the ends (the question index key). */
    public static String normalize(String text) {
        return SPACE.matcher(text).replaceAll(" ").strip();
    }
}
