package dev.shepherd.core.answer;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a verbalized confidence such as {@code Confidence: 0.85} from a model's response, for the
 * confidence cascade (COREA-style, docs/method.md#other-schemes). Small models format it in many ways, so
 * parsing is lenient; only the <em>last</em> {@code confidence} label (case-insensitive) counts,
 * and only the rest of its line (or the next non-blank line when the label ends its line).
 *
 * <p>Accepted values, all mapped into [0, 1]:
 * <ul>
 *   <li>a fraction: {@code 0.85}, {@code .85}, {@code 1}, {@code 0};</li>
 *   <li>a percentage: {@code 85%}; a bare number greater than 1 and at most 100 is read as a
 *       percentage too ({@code 85 → 0.85});</li>
 *   <li>a ratio: {@code 85/100}, {@code 8.5/10}, {@code 4/5}; a ratio above 1 is rejected;</li>
 *   <li>words: {@code very high} → {@value #VERY_HIGH}, {@code high} → {@value #HIGH},
 *       {@code medium}/{@code moderate} → {@value #MEDIUM}, {@code low} → {@value #LOW},
 *       {@code very low} → {@value #VERY_LOW}.</li>
 * </ul>
 * Anything else (no label, a number above 100, no value after the label) is unparseable:
 * {@link OptionalDouble#empty()}. Stateless and thread-safe.
 */
public final class ConfidenceParser {

    /** Value of the word "very high". */
    public static final double VERY_HIGH = 0.95;
    /** Value of the word "high". */
    public static final double HIGH = 0.85;
    /** Value of the words "medium" and "moderate". */
    public static final double MEDIUM = 0.6;
    /** Value of the word "low". */
    public static final double LOW = 0.3;
    /** Value of the word "very low". */
    public static final double VERY_LOW = 0.1;

    private static final Pattern LABEL = Pattern.compile("\\bconfidence", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUE = Pattern.compile(
            "(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(%|/\\s*(\\d+(?:\\.\\d+)?))?");
    private static final Pattern WORD = Pattern.compile(
            "\\b(very\\s+high|very\\s+low|high|medium|moderate|low)\\b", Pattern.CASE_INSENSITIVE);
    // Markdown emphasis and list markers that may precede the label on its line.
    private static final Pattern LEADING_DECORATION = Pattern.compile("[\\s*_#>(\\[-]*$");

    private ConfidenceParser() {
    }

    /**
     * The confidence stated after the last {@code confidence} label, in [0, 1].
     *
     * @param response a model's response, possibly {@code null}
     * @return the confidence, or empty when there is no label or its value cannot be read
     */
    public static OptionalDouble parse(String response) {
        int label = lastLabel(response);
        if (label < 0) {
            return OptionalDouble.empty();
        }
        String value = valueText(response, label + "confidence".length());
        Matcher n = VALUE.matcher(value);
        Matcher w = WORD.matcher(value);
        boolean hasNumber = n.find();
        boolean hasWord = w.find();
        if (hasNumber && (!hasWord || n.start() < w.start())) {
            return fromNumber(n);
        }
        if (hasWord) {
            return OptionalDouble.of(fromWord(w.group(1)));
        }
        return OptionalDouble.empty();
    }

    /**
     * The response without its confidence statement: the last {@code confidence} label and the rest
     * of its line are removed (with the line itself when nothing else is on it), and trailing
     * whitespace is trimmed. A response without a label is returned unchanged.
     */
    public static String strip(String response) {
        int label = lastLabel(response);
        if (label < 0) {
            return response;
        }
        int lineStart = response.lastIndexOf('\n', label) + 1;
        Matcher deco = LEADING_DECORATION.matcher(response.substring(lineStart, label));
        int cutFrom = deco.find() ? lineStart + deco.start() : label;
        int cutTo = valueEnd(response, label + "confidence".length());
        String before = response.substring(0, cutFrom).stripTrailing();
        String after = response.substring(cutTo);
        return (before.isEmpty() ? after.stripLeading() : before + after).stripTrailing();
    }

    private static int lastLabel(String response) {
        if (response == null) {
            return -1;
        }
        Matcher m = LABEL.matcher(response);
        int last = -1;
        while (m.find()) {
            last = m.start();
        }
        return last;
    }

    /** The rest of the label's line, or the next non-blank line when the rest holds no value. */
    private static String valueText(String response, int from) {
        int end = valueEnd(response, from);
        return response.substring(from, end);
    }

    /** End (exclusive) of the label's value: its line's end, or the next non-blank line's end. */
    private static int valueEnd(String response, int from) {
        int lineEnd = endOfLine(response, from);
        if (!response.substring(from, lineEnd).replaceAll("[\\s:=*_-]", "").isEmpty()) {
            return lineEnd;
        }
        int at = lineEnd;
        while (at < response.length()) {
            int next = endOfLine(response, at + 1);
            if (!response.substring(at + 1, next).isBlank()) {
                return next;
            }
            at = next;
        }
        return lineEnd;
    }

    private static int endOfLine(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    private static OptionalDouble fromNumber(Matcher m) {
        double v = Double.parseDouble(m.group(1));
        String suffix = m.group(2);
        if (suffix != null && suffix.equals("%")) {
            v = v / 100;
        } else if (m.group(3) != null) {
            double d = Double.parseDouble(m.group(3));
            if (d == 0) {
                return OptionalDouble.empty();
            }
            v = v / d;
        } else if (v > 1 && v <= 100) {
            v = v / 100;
        }
        return v >= 0 && v <= 1 ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    private static double fromWord(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return switch (w) {
            case "very high" -> VERY_HIGH;
            case "high" -> HIGH;
            case "very low" -> VERY_LOW;
            case "low" -> LOW;
            default -> MEDIUM;
        };
    }
}
