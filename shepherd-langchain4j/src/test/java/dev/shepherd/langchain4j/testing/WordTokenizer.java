package dev.shepherd.langchain4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake servers' tokenizer: a token is a maximal run of non-whitespace characters together with
 * the whitespace before it ({@code "  two words"} → {@code ["  two", " words"]}), so concatenating
 * the first n tokens gives exactly the text a real server would return for {@code max_tokens = n}.
 * Trailing whitespace belongs to no token. Thread-safe (stateless).
 */
public final class WordTokenizer {

    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");

    private WordTokenizer() {
    }

    /** The tokens of {@code text}, in order. */
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

    /** How many tokens {@code text} has. */
    public static int count(String text) {
        return tokens(text).size();
    }

    /** The first {@code n} tokens of {@code text}, concatenated. */
    public static String truncate(String text, int n) {
        List<String> t = tokens(text);
        return String.join("", t.subList(0, Math.min(n, t.size())));
    }
}
