package dev.shepherd.onnx;

import dev.shepherd.core.hint.Features;
import java.util.ArrayList;
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
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(CHARS, (double) t.length());
        f.put(WORDS, (double) words);
        f.put(NUMBERS, (double) numbers);
        f.put(DISTINCT_NUMBERS, (double) distinct.size());
        f.put(MAX_DIGITS, (double) maxDigits);
        f.put(LOG_NUMBER_SUM, logSum);
        f.put(LOG_NUMBER_MAX, logMax);
        f.put(SENTENCES, (double) sentences);
        f.put(QUESTION_MARKS, (double) questionMarks);
        f.put(DIGIT_SHARE, t.isEmpty() ? 0 : digitChars / (double) t.length());
        f.put(HAS_PERCENT, t.indexOf('%') >= 0 || lower.contains("percent") ? 1.0 : 0.0);
        f.put(HAS_CURRENCY, t.indexOf('$') >= 0 || t.indexOf('€') >= 0 || t.indexOf('£') >= 0 ? 1.0 : 0.0);
        f.put(FRACTIONS, (double) count(FRACTION, lower));
        f.put(DECIMALS, (double) decimals);
        f.put(NUMBER_WORDS, (double) count(NUMBER_WORD, lower));
        f.put(QUANTITY_WORDS, (double) count(QUANTITY_WORD, lower));
        f.put(MEAN_WORD_LENGTH, words == 0 ? 0 : wordChars / (double) words);
        return f;
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
