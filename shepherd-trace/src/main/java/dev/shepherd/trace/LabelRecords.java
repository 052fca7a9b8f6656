package dev.shepherd.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one {@code shepherd label} record (docs/labels.md) as a two-model trace record; see {@link TraceJsonl}.
 * Stateless.
 */
final class LabelRecords {

    private LabelRecords() {
    }

    static TraceRecord read(TraceJsonl.Fields f, JsonNode node) {
        String id = f.id(node);
        String query = f.text(node, "query", "");
        String small = name(f, node, "slm_model", TraceJsonl.LABEL_SMALL);
        String large = name(f, node, "llm_model", TraceJsonl.LABEL_LARGE);
        if (small.equals(large)) {
            throw f.error("llm_model", "names the same model as slm_model ('" + small + "'); a trace needs two names");
        }
        Response full = call(f, f.require(node, "llm_full", ""), "llm_full.");
        JsonNode levels = f.require(node, "levels", "");
        if (!levels.isArray() || levels.isEmpty()) {
            throw f.error("levels", "must be a non-empty array (level 0 is the small model's own answer)");
        }
        Response own = null;
        List<HintLevel> hints = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            JsonNode l = levels.get(i);
            String where = "levels[" + i + "].";
            if (l == null || !l.isObject()) {
                throw f.error("levels[" + i + "]", "must be an object but was " + l);
            }
            long percent = f.integer(l, "percent", where);
            Response answer = call(f, f.require(l, "slm", where), where + "slm.");
            if (percent == 0) {
                own = own == null ? answer : own;
                continue;
            }
            if (percent < 0 || percent > 100) {
                throw f.error(where + "percent", "must be in [0, 100] but was " + percent);
            }
            Long tokens = f.tokens(l, "hint_tokens", where);
            Long hintIn = f.tokens(l, "hint_input_tokens", where);
            String text = f.optionalText(l, "hint_text", where);
            hints.add(new HintLevel((int) percent, tokens == null ? 0 : (int) Math.min(tokens, Integer.MAX_VALUE),
                    text == null ? "" : text, hintIn == null ? 0 : hintIn, large, answer));
        }
        if (own == null) {
            throw f.error("levels", "has no level with percent 0 (the small model's own answer)");
        }
        List<Sample> samples = new ArrayList<>();
        JsonNode sn = f.optionalArray(node, "samples", "");
        for (int i = 0; sn != null && i < sn.size(); i++) {
            JsonNode s = sn.get(i);
            String where = "samples[" + i + "].";
            if (s == null || !s.isObject()) {
                throw f.error("samples[" + i + "]", "must be an object but was " + s);
            }
            String text = f.optionalText(s, "text", where);
            samples.add(new Sample(text == null ? "" : text, f.optionalText(s, "answer", where), quality(f, s, where),
                    f.tokens(s, "input_tokens", where), f.tokens(s, "output_tokens", where)));
        }
        Map<String, Response> responses = new LinkedHashMap<>();
        responses.put(small, own.withSamples(samples).withHints(hints));
        responses.put(large, full);
        return new TraceRecord(id, query, f.optionalText(node, "gold", ""), responses, f.line());
    }

    private static String name(TraceJsonl.Fields f, JsonNode node, String field, String fallback) {
        String v = f.optionalText(node, field, "");
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Response call(TraceJsonl.Fields f, JsonNode n, String where) {
        if (!n.isObject()) {
            throw f.error(where.substring(0, where.length() - 1), "must be an object but was " + n);
        }
        String text = f.optionalText(n, "text", where);
        return new Response(text == null ? "" : text, quality(f, n, where), f.tokens(n, "input_tokens", where),
                f.tokens(n, "output_tokens", where), null, List.of(), List.of());
    }

    private static Outcome quality(TraceJsonl.Fields f, JsonNode n, String where) {
        JsonNode q = f.require(n, "quality", where);
        if (!q.isNumber() || !(q.asDouble() >= 0 && q.asDouble() <= 1)) {
            throw f.error(where + "quality", "must be a number in [0, 1] but was " + q);
        }
        double v = q.asDouble();
        return v == 0 || v == 1 ? Outcome.correct(v == 1) : Outcome.score(v);
    }
}
