package dev.shepherd.core.answer;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Final-answer extraction for math responses; see {@code AnswerExtractor.math()}. */
final class MathAnswers {

    private static final Pattern NUMBER = Pattern.compile(
            "[-−]?(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?(?:\\s*/\\s*\\d+)?|\\.\\d+)");
    private static final Pattern ANSWER_IS = Pattern.compile(
            "answer\\s*(?:is|:|=)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FRAC = Pattern.compile("\\\\[dt]?frac\\{([^{}]*)}\\{([^{}]*)}");

    private MathAnswers() {
    }

    /** The final answer of a math response, normalised; empty when none. */
    static Optional<String> extract(String response) {
        if (response == null || response.isBlank()) {
            return Optional.empty();
        }
        int hashes = response.lastIndexOf("####");
        if (hashes >= 0) {
            String tail = firstLine(response.substring(hashes + 4));
            Optional<String> n = firstNumber(tail);
            if (n.isPresent()) {
                return n;
            }
            String word = tail.strip();
            if (!word.isEmpty()) {
                return Optional.of(word.toLowerCase(Locale.ROOT));
            }
        }
        String boxed = lastBoxed(response);
        if (boxed != null) {
            String inner = FRAC.matcher(boxed).replaceAll("$1/$2");
            Optional<String> n = firstNumber(inner);
            if (n.isPresent()) {
                return n;
            }
            String word = inner.replaceAll("\\\\text\\{([^{}]*)}", "$1").strip();
            if (!word.isEmpty()) {
                return Optional.of(word.toLowerCase(Locale.ROOT));
            }
        }
        Matcher is = ANSWER_IS.matcher(response);
        int after = -1;
        while (is.find()) {
            after = is.end();
        }
        if (after >= 0) {
            Optional<String> n = firstNumber(response.substring(after));
            if (n.isPresent()) {
                return n;
            }
        }
        return lastNumber(response);
    }

    /** A number written as in the text, normalised: no grouping commas, currency, trailing zeros. */
    static String normalize(String raw) {
        String s = raw.replace('−', '-').replace(",", "").replaceAll("\\s+", "");
        int slash = s.indexOf('/');
        if (slash > 0) {
            return normalize(s.substring(0, slash)) + "/" + normalize(s.substring(slash + 1));
        }
        try {
            BigDecimal d = new BigDecimal(s).stripTrailingZeros();
            if (d.signum() == 0) {
                return "0";
            }
            return d.toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String firstLine(String s) {
        String t = s.stripLeading();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static Optional<String> firstNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        return m.find() ? Optional.of(normalize(m.group())) : Optional.empty();
    }

    private static Optional<String> lastNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? Optional.empty() : Optional.of(normalize(last));
    }

    /** Content of the last {@code \boxed{…}}, braces balanced; {@code null} when absent or unclosed. */
    private static String lastBoxed(String s) {
        int at = s.lastIndexOf("\\boxed{");
        if (at < 0) {
            return null;
        }
        int start = at + "\\boxed{".length();
        int depth = 1;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return s.substring(start, i);
            }
        }
        return null;
    }
}
