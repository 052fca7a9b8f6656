package dev.shepherd.onnx;

import dev.shepherd.core.hint.Features;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap features of the query text that the predictor computes itself, like {@link Features#QUERY_LENGTH}
 * (which the encoder counts): the caller never supplies them. One function, {@link #compute(String)}, serves
 * training, the Java forward pass and the ONNX path alike, so a bundle listing these names in its
 * {@code feature_names} scores a query the same way wherever it runs. Bundles trained before these
 * features existed ({@code [query_length]} only) still load and serve unchanged.
 *
 * <p>Numbers are digit runs with optional thousands separators and decimals ({@code 1,200.50} is one
 * number, 1200.5). Stateless and thread-safe.
 */
public final class QueryFeatures {

    /** Characters of the query text. */
    public static final String CHARS = "query_chars";
    /** Whitespace-separated words. */
    public static final String WORDS = "query_words";
    /** Numbers written with digits. */
    public static final String NUMBERS = "query_numbers";
    /** Distinct numbers written with digits. */
    public static final String DISTINCT_NUMBERS = "query_distinct_numbers";
    /** Digits of the longest number (0 without numbers). */
    public static final String MAX_DIGITS = "query_max_digits";
    /** Σ log10(1 + value) over the numbers: how much arithmetic the numbers ask for. */
    public static final String LOG_NUMBER_SUM = "query_log_number_sum";
    /** max log10(1 + value) over the numbers (0 without numbers). */
    public static final String LOG_NUMBER_MAX = "query_log_number_max";
    /** Sentences (segments ended by . ! ? followed by a space or the end). */
    public static final String SENTENCES = "query_sentences";
    /** Question marks. */
    public static final String QUESTION_MARKS = "query_question_marks";
    /** Share of the characters that are digits. */
    public static final String DIGIT_SHARE = "query_digit_share";
    /** 1 when the text has {@code %} or the word "percent", else 0. */
    public static final String HAS_PERCENT = "query_has_percent";
    /** 1 when the text has a currency sign ($, €, £), else 0. */
    public static final String HAS_CURRENCY = "query_has_currency";
    /** Fractions: {@code a/b} or the words half, third, quarter, fourth, fifth (and plurals). */
    public static final String FRACTIONS = "query_fractions";
    /** Numbers with a decimal point. */
    public static final String DECIMALS = "query_decimals";
    /** Numbers and multipliers spelled out (one … twelve, twenty, hundred, twice, double, …). */
    public static final String NUMBER_WORDS = "query_number_words";
    /** Words that signal rates and running totals (each, every, per, times, total, remaining, left, …). */
    public static final String QUANTITY_WORDS = "query_quantity_words";
    /** Mean characters per word. */
    public static final String MEAN_WORD_LENGTH = "query_mean_word_length";

    /** Every feature this class computes, in a stable order. */
    public static final List<String> ALL = List.of(CHARS, WORDS, NUMBERS, DISTINCT_NUMBERS, MAX_DIGITS,
            LOG_NUMBER_SUM, LOG_NUMBER_MAX, SENTENCES, QUESTION_MARKS, DIGIT_SHARE, HAS_PERCENT, HAS_CURRENCY,
            FRACTIONS, DECIMALS, NUMBER_WORDS, QUANTITY_WORDS, MEAN_WORD_LENGTH);

    /** The trainer's default inputs: {@link Features#QUERY_LENGTH} (encoder tokens) and {@link #ALL}. */
    public static final List<String> DEFAULT;

    static {
        ArrayList<String> d = new ArrayList<>();
        d.add(Features.QUERY_LENGTH);
        d.addAll(ALL);
        DEFAULT = List.copyOf(d);
    }

    private static final Set<String> NAMES = Set.copyOf(ALL);
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:,\\d{3})*(?:\\.\\d+)?");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(?:\\s|$)");
    private static final Pattern FRACTION = Pattern.compile(
            "\\b\\d+/\\d+\\b|\\b(?:half|halves|thirds?|quarters?|fourths?|fifths?)\\b");
    private static final Pattern NUMBER_WORD = Pattern.compile("\\b(?:one|two|three|four|five|six|seven|eight|nine|"
            + "ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|dozen|twice|double|"
            + "triple|thrice)\\b");
    private static final Pattern QUANTITY_WORD = Pattern.compile("\\b(?:each|every|per|times|total|remaining|"
            + "left|more than|less than|fewer than|after)\\b");

    private QueryFeatures() {
    }

    /** Whether the predictor computes this feature from the query (so callers must not supply it). */
    public static boolean isComputed(String name) {
        return Features.QUERY_LENGTH.equals(name) || NAMES.contains(name);
    }

    /** The names among {@code names} that callers supply (not computed from the query). */
    public static Set<String> callerSupplied(List<String> names) {
        Set<String> out = new LinkedHashSet<>(names);
        out.removeIf(QueryFeatures::isComputed);
        return out;
    }

    /** Every feature of {@link #ALL} for this text, by name, in {@link #ALL}'s order; all finite. */
    public static Map<String, Double> compute(String text) {
        String t = text == null ? "" : text;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= 0x80 && !isInert(c)) {
                return computeWithPatterns(t);
            }
        }
        return computeAscii(t);
    }

    /**
     * Whether a non-ASCII character plays no part in the patterns beyond being "not a word character": not a letter
     * or digit (which {@code \b}, lower-casing and digit counts treat in Unicode terms), not a mark ({@code \b}
     * looks through those), not half of a surrogate pair and not a line terminator. Curly quotes, dashes, €, £ and
     * non-breaking spaces are inert, so the one-pass path serves them.
     */
    private static boolean isInert(char c) {
        int type = Character.getType(c);
        return !Character.isLetterOrDigit(c) && !Character.isSurrogate(c) && type != Character.NON_SPACING_MARK
                && type != Character.ENCLOSING_MARK && type != Character.COMBINING_SPACING_MARK
                && c != 0x85 && c != 0x2028 && c != 0x2029; // line terminators: the patterns' $ matches before them
    }

    /**
     * The definition: regular expressions over the text. Any text may go through here; text with non-ASCII letters,
     * digits or marks does, because Java's {@code \b}, digits and lower-casing are Unicode-aware there.
     */
    static Map<String, Double> computeWithPatterns(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        int numbers = 0;
        int maxDigits = 0;
        int decimals = 0;
        double logSum = 0;
        double logMax = 0;
        Set<String> distinct = new HashSet<>();
        Matcher m = NUMBER.matcher(t);
        while (m.find()) {
            String s = m.group().replace(",", "");
            numbers++;
            distinct.add(s);
            int digits = 0;
            for (int i = 0; i < s.length(); i++) {
                digits += Character.isDigit(s.charAt(i)) ? 1 : 0;
            }
            maxDigits = Math.max(maxDigits, digits);
            decimals += s.indexOf('.') >= 0 ? 1 : 0;
            double lv = Math.log10(1 + Double.parseDouble(s));
            logSum += lv;
            logMax = Math.max(logMax, lv);
        }
        int words = 0;
        int wordChars = 0;
        for (String w : t.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                words++;
                wordChars += w.length();
            }
        }
        int sentences = 0;
        int from = 0;
        Matcher e = SENTENCE_END.matcher(t);
        while (e.find()) {
            sentences += t.substring(from, e.start()).isBlank() ? 0 : 1;
            from = e.end();
        }
        sentences += t.substring(from).isBlank() ? 0 : 1;
        int digitChars = 0;
        int questionMarks = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            digitChars += Character.isDigit(c) ? 1 : 0;
            questionMarks += c == '?' ? 1 : 0;
        }
        return toMap(t, words, wordChars, numbers, distinct.size(), maxDigits, logSum, logMax, sentences,
                questionMarks, digitChars, t.indexOf('%') >= 0 || lower.contains("percent"),
                count(FRACTION, lower), decimals, count(NUMBER_WORD, lower), count(QUANTITY_WORD, lower));
    }

    private static Map<String, Double> toMap(String t, int words, int wordChars, int numbers, int distinct,
                                             int maxDigits, double logSum, double logMax, int sentences,
                                             int questionMarks, int digitChars, boolean percent, int fractions,
                                             int decimals, int numberWords, int quantityWords) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(CHARS, (double) t.length());
        f.put(WORDS, (double) words);
        f.put(NUMBERS, (double) numbers);
        f.put(DISTINCT_NUMBERS, (double) distinct);
        f.put(MAX_DIGITS, (double) maxDigits);
        f.put(LOG_NUMBER_SUM, logSum);
        f.put(LOG_NUMBER_MAX, logMax);
        f.put(SENTENCES, (double) sentences);
        f.put(QUESTION_MARKS, (double) questionMarks);
        f.put(DIGIT_SHARE, t.isEmpty() ? 0 : digitChars / (double) t.length());
        f.put(HAS_PERCENT, percent ? 1.0 : 0.0);
        f.put(HAS_CURRENCY, t.indexOf('$') >= 0 || t.indexOf('€') >= 0 || t.indexOf('£') >= 0 ? 1.0 : 0.0);
        f.put(FRACTIONS, (double) fractions);
        f.put(DECIMALS, (double) decimals);
        f.put(NUMBER_WORDS, (double) numberWords);
        f.put(QUANTITY_WORDS, (double) quantityWords);
        f.put(MEAN_WORD_LENGTH, words == 0 ? 0 : wordChars / (double) words);
        return f;
    }

    private static final int FRACTION_WORD = 1;
    private static final int NUMBER_WORD_KIND = 2;
    private static final int QUANTITY_WORD_KIND = 4;
    private static final int COMPARATIVE = 8;
    /** The words of the word patterns, by what they count for; one look-up per word of the text. */
    private static final Map<String, Integer> WORD_KINDS = new HashMap<>();

    static {
        for (String w : List.of("half", "halves", "third", "thirds", "quarter", "quarters", "fourth", "fourths",
                "fifth", "fifths")) {
            WORD_KINDS.merge(w, FRACTION_WORD, (a, b) -> a | b);
        }
        for (String w : List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million",
                "dozen", "twice", "double", "triple", "thrice")) {
            WORD_KINDS.merge(w, NUMBER_WORD_KIND, (a, b) -> a | b);
        }
        for (String w : List.of("each", "every", "per", "times", "total", "remaining", "left", "after")) {
            WORD_KINDS.merge(w, QUANTITY_WORD_KIND, (a, b) -> a | b);
        }
        for (String w : List.of("more", "less", "fewer")) {
            WORD_KINDS.merge(w, COMPARATIVE, (a, b) -> a | b);
        }
    }

    /**
     * The same features as {@link #computeWithPatterns} for ASCII text (and inert non-ASCII characters, see
     * {@link #isInert}) in one pass without regular expressions
     * (≈ 10× faster: the static-embedding tier's whole decision budget is 200 µs). On ASCII, {@code \b} is the
     * edge of a run of {@code [A-Za-z0-9_]}, so each word pattern is "a whole run equal to one of the words";
     * {@code QueryFeaturesTest} checks both paths agree on every GSM8K question and on random text.
     */
    static Map<String, Double> computeAscii(String t) {
        int n = t.length();
        int numbers = 0;
        int maxDigits = 0;
        int decimals = 0;
        double logSum = 0;
        double logMax = 0;
        Set<String> distinct = new HashSet<>();
        int digitChars = 0;
        int questionMarks = 0;
        for (int i = 0; i < n; ) {
            char c = t.charAt(i);
            questionMarks += c == '?' ? 1 : 0;
            if (!isDigit(c)) {
                i++;
                continue;
            }
            // \d+(?:,\d{3})*(?:\.\d+)?
            int j = digitsEnd(t, i);
            while (j + 3 < n && t.charAt(j) == ',' && isDigit(t.charAt(j + 1)) && isDigit(t.charAt(j + 2))
                    && isDigit(t.charAt(j + 3))) {
                j += 4;
            }
            boolean decimal = j + 1 < n && t.charAt(j) == '.' && isDigit(t.charAt(j + 1));
            if (decimal) {
                j = digitsEnd(t, j + 1);
            }
            String s = t.substring(i, j).replace(",", "");
            int digits = s.length() - (decimal ? 1 : 0);
            digitChars += digits;
            numbers++;
            distinct.add(s);
            maxDigits = Math.max(maxDigits, digits);
            decimals += decimal ? 1 : 0;
            double lv = Math.log10(1 + Double.parseDouble(s));
            logSum += lv;
            logMax = Math.max(logMax, lv);
            i = j;
        }
        // t.trim().split("\s+"): runs of non-whitespace (regex \s) characters inside the trimmed text
        int a = 0;
        int b = n;
        while (a < b && t.charAt(a) <= ' ') {
            a++;
        }
        while (b > a && t.charAt(b - 1) <= ' ') {
            b--;
        }
        int words = 0;
        int wordChars = 0;
        boolean inWord = false;
        for (int i = a; i < b; i++) {
            boolean space = isRegexSpace(t.charAt(i));
            words += !space && !inWord ? 1 : 0;
            wordChars += space ? 0 : 1;
            inWord = !space;
        }
        // [.!?]+(?:\s|$): a run of end marks followed by a \s (consumed) or the end of the text
        int sentences = 0;
        int from = 0;
        for (int i = 0; i < n; ) {
            if (!isEndMark(t.charAt(i))) {
                i++;
                continue;
            }
            int r = i;
            while (r < n && isEndMark(t.charAt(r))) {
                r++;
            }
            if (r == n || isRegexSpace(t.charAt(r))) {
                sentences += isBlank(t, from, i) ? 0 : 1;
                from = r == n ? n : r + 1;
            }
            i = r;
        }
        sentences += isBlank(t, from, n) ? 0 : 1;
        int fractions = 0;
        int numberWords = 0;
        int quantityWords = 0;
        for (int i = 0; i < n; ) {
            if (!isWordChar(t.charAt(i))) {
                i++;
                continue;
            }
            int r = i;
            while (r < n && isWordChar(t.charAt(r))) {
                r++;
            }
            int d = digitsEnd(t, i);
            // \b\d+/\d+\b: a run of digits, a slash, a run of digits that ends the word
            if (d == r && r + 1 < n && t.charAt(r) == '/' && isDigit(t.charAt(r + 1))) {
                int e = digitsEnd(t, r + 1);
                if (e == n || !isWordChar(t.charAt(e))) {
                    fractions++;
                    i = e;
                    continue;
                }
            }
            // every listed word is 3 to 9 letters long: most words of a question need no look-up
            Integer kind = null;
            if (r - i >= 3 && r - i <= 9 && !isDigit(t.charAt(i))) {
                String w = t.substring(i, r);
                kind = WORD_KINDS.get(hasUpper(w) ? w.toLowerCase(Locale.ROOT) : w);
            }
            if (kind != null) {
                fractions += (kind & FRACTION_WORD) != 0 ? 1 : 0;
                numberWords += (kind & NUMBER_WORD_KIND) != 0 ? 1 : 0;
                if ((kind & QUANTITY_WORD_KIND) != 0) {
                    quantityWords++;
                } else if ((kind & COMPARATIVE) != 0 && r + 5 <= n && t.charAt(r) == ' '
                        && t.regionMatches(true, r + 1, "than", 0, 4) && (r + 5 == n || !isWordChar(t.charAt(r + 5)))) {
                    quantityWords++; // "more than", "less than", "fewer than"
                    i = r + 5;
                    continue;
                }
            }
            i = r;
        }
        return toMap(t, words, wordChars, numbers, distinct.size(), maxDigits, logSum, logMax, sentences,
                questionMarks, digitChars, t.indexOf('%') >= 0 || containsIgnoreCase(t, "percent"), fractions,
                decimals, numberWords, quantityWords);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String t, int i) {
        while (i < t.length() && isDigit(t.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code \s}: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    private static boolean isEndMark(char c) {
        return c == '.' || c == '!' || c == '?';
    }

    /** {@code \b}'s word characters on ASCII. */
    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_';
    }

    private static boolean isBlank(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether ASCII {@code t} contains the lower-case ASCII {@code word}, ignoring case. */
    private static boolean containsIgnoreCase(String t, String word) {
        char first = word.charAt(0);
        for (int i = 0; i + word.length() <= t.length(); i++) {
            if ((t.charAt(i) | 0x20) == first && t.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasUpper(String w) {
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }

    private static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
