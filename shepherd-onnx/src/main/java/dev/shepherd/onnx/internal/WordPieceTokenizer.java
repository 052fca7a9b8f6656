package dev.shepherd.onnx.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plain-Java BERT WordPiece tokenizer read from a HuggingFace {@code tokenizer.json}: the
 * {@code BertNormalizer} (clean text, CJK spacing, accent stripping, lower-casing), the
 * {@code BertPreTokenizer} (whitespace and punctuation) and the greedy longest-match {@code WordPiece}
 * model, as HuggingFace's Rust implementation does them. It exists for the static-embedding tier, whose whole
 * decision costs less than one call through DJL's native tokenizer (≈ 100 µs per GSM8K question, mostly
 * building the JNI {@code Encoding}); this one takes a few microseconds on ASCII text. The test
 * {@code WordPieceTokenizerTest} checks it id for id against DJL's on every GSM8K question and on hostile text.
 *
 * <p>{@link #load} returns empty for a tokenizer it does not implement exactly (another model type, other
 * normalizers, added tokens that are normalised or strip spaces): callers then fall back to DJL's.
 * Immutable and thread-safe.
 */
public final class WordPieceTokenizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> words;
    private final Map<String, Integer> pieces;
    private final int unknownId;
    private final int maxWordChars;
    private final boolean cleanText;
    private final boolean chineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;
    private final String[] addedContents;
    private final int[] addedIds;
    private final int templateTokens;
    /** The template's ids before and after the text, or null when they could not be read from the file. */
    private final int[] prefixIds;
    private final int[] suffixIds;

    private WordPieceTokenizer(Map<String, Integer> words, Map<String, Integer> pieces, int unknownId,
                               int maxWordChars, boolean cleanText, boolean chineseChars, boolean stripAccents,
                               boolean lowercase, String[] addedContents, int[] addedIds, int templateTokens,
                               int[][] template) {
        this.words = words;
        this.pieces = pieces;
        this.unknownId = unknownId;
        this.maxWordChars = maxWordChars;
        this.cleanText = cleanText;
        this.chineseChars = chineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
        this.addedContents = addedContents;
        this.addedIds = addedIds;
        this.templateTokens = templateTokens;
        this.prefixIds = template == null ? null : template[0];
        this.suffixIds = template == null ? null : template[1];
    }

    /**
     * Reads a {@code tokenizer.json}.
     *
     * @return empty when the file describes a tokenizer this class does not reproduce exactly
     * @throws IOException when the file cannot be read or is not JSON
     */
    public static Optional<WordPieceTokenizer> load(Path tokenizerJson) throws IOException {
        return fromJson(JSON.readTree(tokenizerJson.toFile()));
    }

    /**
     * Reads a parsed {@code tokenizer.json}.
     *
     * @return empty when it describes a tokenizer this class does not reproduce exactly
     */
    public static Optional<WordPieceTokenizer> fromJson(JsonNode root) {
        JsonNode model = root.path("model");
        JsonNode norm = root.path("normalizer");
        if (!"WordPiece".equals(model.path("type").asText()) || !"BertNormalizer".equals(norm.path("type").asText())
                || !"BertPreTokenizer".equals(root.path("pre_tokenizer").path("type").asText())
                || !"##".equals(model.path("continuing_subword_prefix").asText("##"))) {
            return Optional.empty();
        }
        int templateTokens = templateTokens(root.path("post_processor"));
        if (templateTokens < 0) {
            return Optional.empty();
        }
        Map<String, Integer> words = new HashMap<>();
        Map<String, Integer> pieces = new HashMap<>();
        // start of a word: any vocabulary entry, literally; inside a word: the entries spelled "##" + piece
        model.path("vocab").fields().forEachRemaining(e -> {
            words.put(e.getKey(), e.getValue().asInt());
            if (e.getKey().startsWith("##")) {
                pieces.put(e.getKey().substring(2), e.getValue().asInt());
            }
        });
        Integer unk = words.get(model.path("unk_token").asText("[UNK]"));
        if (unk == null) {
            return Optional.empty();
        }
        List<String> contents = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode added : root.path("added_tokens")) {
            if (added.path("normalized").asBoolean(false) || added.path("lstrip").asBoolean(false)
                    || added.path("rstrip").asBoolean(false) || added.path("single_word").asBoolean(false)) {
                return Optional.empty();
            }
            contents.add(added.path("content").asText());
            ids.add(added.path("id").asInt());
        }
        boolean lower = norm.path("lowercase").asBoolean(true);
        JsonNode strip = norm.path("strip_accents");
        return Optional.of(new WordPieceTokenizer(words, pieces, unk, model.path("max_input_chars_per_word").asInt(100),
                norm.path("clean_text").asBoolean(true), norm.path("handle_chinese_chars").asBoolean(true),
                strip.isNull() || strip.isMissingNode() ? lower : strip.asBoolean(), lower,
                contents.toArray(String[]::new), ids.stream().mapToInt(Integer::intValue).toArray(), templateTokens,
                templateIds(root.path("post_processor"), templateTokens)));
    }

    /** Special tokens the post-processor wraps a single text in ([CLS] … [SEP]: 2), or -1 if not understood. */
    private static int templateTokens(JsonNode post) {
        String type = post.path("type").asText("");
        if (post.isMissingNode() || post.isNull()) {
            return 0;
        }
        if (type.equals("BertProcessing")) {
            return 2;
        }
        if (type.equals("TemplateProcessing")) {
            int n = 0;
            for (JsonNode piece : post.path("single")) {
                if (piece.has("SpecialToken")) {
                    n++;
                } else if (!piece.has("Sequence")) {
                    return -1;
                }
            }
            return n;
        }
        return -1;
    }

    /**
     * The ids a single text is wrapped in, {prefix, suffix}, or null when the post-processor's are not all readable
     * or give a token type other than 0 (then only {@link #templateTokens()} is known).
     */
    private static int[][] templateIds(JsonNode post, int templateTokens) {
        if (post.isMissingNode() || post.isNull()) {
            return new int[][] {new int[0], new int[0]};
        }
        String type = post.path("type").asText("");
        if (type.equals("BertProcessing")) {
            JsonNode cls = post.path("cls").path(1);
            JsonNode sep = post.path("sep").path(1);
            return cls.isInt() && sep.isInt() ? new int[][] {{cls.asInt()}, {sep.asInt()}} : null;
        }
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        List<Integer> side = prefix;
        for (JsonNode piece : post.path("single")) {
            JsonNode special = piece.path("SpecialToken");
            JsonNode item = special.isMissingNode() ? piece.path("Sequence") : special;
            if (item.path("type_id").asInt(0) != 0) {
                return null;
            }
            if (special.isMissingNode()) {
                side = suffix;
                continue;
            }
            JsonNode ids = post.path("special_tokens").path(special.path("id").asText()).path("ids");
            if (!ids.isArray() || ids.size() != 1 || !ids.get(0).isInt()) {
                return null;
            }
            side.add(ids.get(0).asInt());
        }
        if (prefix.size() + suffix.size() != templateTokens) {
            return null;
        }
        return new int[][] {prefix.stream().mapToInt(Integer::intValue).toArray(),
            suffix.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** Whether {@link #withTemplate} can wrap texts: the template's ids were readable. */
    public boolean hasTemplateIds() {
        return prefixIds != null;
    }

    /**
     * What the model is fed for one text: the template's ids around {@code body} (from {@link #encode}), the body cut
     * so the whole is at most {@code maxLength} ids, as HuggingFace truncates a single sequence.
     *
     * @throws IllegalStateException when {@link #hasTemplateIds()} is false
     */
    public long[] withTemplate(int[] body, int maxLength) {
        if (prefixIds == null) {
            throw new IllegalStateException("the tokenizer's template ids are unknown");
        }
        int keep = Math.max(0, Math.min(body.length, maxLength - prefixIds.length - suffixIds.length));
        long[] out = new long[prefixIds.length + keep + suffixIds.length];
        int k = 0;
        for (int id : prefixIds) {
            out[k++] = id;
        }
        for (int i = 0; i < keep; i++) {
            out[k++] = body[i];
        }
        for (int id : suffixIds) {
            out[k++] = id;
        }
        return out;
    }

    /** Special tokens added around every text (counted in lengths, never pooled): 2 for BERT. */
    public int templateTokens() {
        return templateTokens;
    }

    /**
     * The token ids of {@code text} without the template's special tokens, untruncated.
     *
     * @param text any string
     */
    public int[] encode(String text) {
        IntList out = new IntList(Math.max(16, text.length() / 3));
        int from = 0;
        while (from < text.length()) {
            // HuggingFace matches added tokens ([CLS], [MASK], ...) in the raw text first, leftmost-longest
            int at = -1;
            int which = -1;
            for (int i = 0; i < addedContents.length; i++) {
                int p = addedContents[i].isEmpty() ? -1 : text.indexOf(addedContents[i], from);
                if (p >= 0 && (at < 0 || p < at || p == at && addedContents[i].length() > addedContents[which].length())) {
                    at = p;
                    which = i;
                }
            }
            int to = at < 0 ? text.length() : at;
            encodeSegment(text, from, to, out);
            if (at < 0) {
                break;
            }
            out.add(addedIds[which]);
            from = at + addedContents[which].length();
        }
        return out.toArray();
    }

    private void encodeSegment(String text, int from, int to, IntList out) {
        if (from >= to) {
            return;
        }
        if (!cleanText) {
            encodeUnicode(normalize(text.substring(from, to)), out);
            return;
        }
        // ASCII characters take a table look-up each; a run of other characters is normalised on its own, which is
        // exact: ASCII characters are starters (combining class 0), so NFD never reorders across them
        StringBuilder word = new StringBuilder(32);
        for (int i = from; i < to; ) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                int end = i + 1;
                while (end < to && text.charAt(end) >= 0x80) {
                    end++;
                }
                String normalized = normalize(text.substring(i, end));
                for (int k = 0; k < normalized.length(); ) {
                    int cp = normalized.codePointAt(k);
                    k += Character.charCount(cp);
                    pretokenize(cp, word, out);
                }
                i = end;
                continue;
            }
            i++;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                flush(word, out);
            } else if (c < 0x20 || c == 0x7f) {
                continue; // clean_text drops control characters (vertical tab and form feed too): no word break
            } else if (isAsciiPunctuation(c)) {
                flush(word, out);
                word.append(c);
                flush(word, out);
            } else {
                word.append(lowercase && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
        }
        flush(word, out);
    }

    /** BertPreTokenizer on one normalised code point: whitespace ends a word, punctuation is a word of its own. */
    private void pretokenize(int cp, StringBuilder word, IntList out) {
        if (isWhitespace(cp)) {
            flush(word, out);
        } else if (isPunctuation(cp)) {
            flush(word, out);
            word.appendCodePoint(cp);
            flush(word, out);
        } else {
            word.appendCodePoint(cp);
        }
    }

    private static boolean isAsciiPunctuation(int c) {
        return c >= 33 && c <= 47 || c >= 58 && c <= 64 || c >= 91 && c <= 96 || c >= 123 && c <= 126;
    }

    private void flush(StringBuilder word, IntList out) {
        if (word.length() > 0) {
            wordPiece(word.toString(), out);
            word.setLength(0);
        }
    }

    /** BertNormalizer: clean text, space around CJK ideographs, NFD + drop non-spacing marks, lower-case. */
    String normalize(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText) {
                if (cp == 0 || cp == 0xfffd || isControl(cp)) {
                    continue;
                }
                if (isWhitespace(cp)) {
                    b.append(' ');
                    continue;
                }
            }
            if (chineseChars && isChinese(cp)) {
                b.append(' ').appendCodePoint(cp).append(' ');
            } else {
                b.appendCodePoint(cp);
            }
        }
        String t = b.toString();
        if (stripAccents) {
            t = Normalizer.normalize(t, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(t.length());
            for (int i = 0; i < t.length(); ) {
                int cp = t.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                    kept.appendCodePoint(cp);
                }
            }
            t = kept.toString();
        }
        if (lowercase) {
            StringBuilder lower = new StringBuilder(t.length());
            for (int i = 0; i < t.length(); ) {
                int cp = t.codePointAt(i);
                i += Character.charCount(cp);
                if (cp == 0x130) { // the one unconditional multi-character lower-case mapping (Rust's to_lowercase)
                    lower.append("i\u0307");
                } else {
                    lower.appendCodePoint(Character.toLowerCase(cp));
                }
            }
            t = lower.toString();
        }
        return t;
    }

    private void encodeUnicode(String normalized, IntList out) {
        StringBuilder word = new StringBuilder(32);
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            pretokenize(cp, word, out);
        }
        flush(word, out);
    }

    /** Greedy longest-match-first over code points; a word with an unmatched remainder is one unknown token. */
    private void wordPiece(String word, IntList out) {
        int chars = word.codePointCount(0, word.length());
        if (chars > maxWordChars) {
            out.add(unknownId);
            return;
        }
        Integer whole = words.get(word);
        if (whole != null) {
            out.add(whole);
            return;
        }
        int mark = out.size();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer id = null;
            while (end > start) {
                String sub = word.substring(start, end);
                id = start == 0 ? words.get(sub) : pieces.get(sub);
                if (id != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (id == null) {
                out.truncate(mark);
                out.add(unknownId);
                return;
            }
            out.add(id);
            start = end;
        }
    }

    /** Rust's {@code char::is_whitespace} (Unicode White_Space). */
    private static boolean isWhitespace(int cp) {
        return cp >= 0x09 && cp <= 0x0d || cp == 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680
                || cp >= 0x2000 && cp <= 0x200a || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f
                || cp == 0x3000;
    }

    /** HuggingFace's {@code is_control}: the Unicode "other" categories, except tab, newline and return. */
    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED
                || t == Character.PRIVATE_USE || t == Character.SURROGATE;
    }

    private static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return isAsciiPunctuation(cp);
        }
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                || t == Character.OTHER_PUNCTUATION;
    }

    private static boolean isChinese(int cp) {
        return cp >= 0x4e00 && cp <= 0x9fff || cp >= 0x3400 && cp <= 0x4dbf || cp >= 0x20000 && cp <= 0x2a6df
                || cp >= 0x2a700 && cp <= 0x2b73f || cp >= 0x2b740 && cp <= 0x2b81f || cp >= 0x2b920 && cp <= 0x2ceaf
                || cp >= 0xf900 && cp <= 0xfaff || cp >= 0x2f800 && cp <= 0x2fa1f;
    }

    /** A growable int array: the tokenizer runs per request, boxed lists would dominate it. */
    private static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[capacity];
        }

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        void truncate(int size) {
            n = size;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
