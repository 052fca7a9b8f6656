package dev.shepherd.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.HashSet;

/**
 * Reads and writes the JSONL trace format (docs/trace-format.md): one query per line,
 * {@code {"id", "query", "gold"?, "models": {NAME: {"text", "correct"|"score", "input_tokens"?, "output_tokens"?,
 * "confidence"?, "samples"?, "hints"?}}}}.
 *
 * <p>A {@code shepherd label} file (docs/labels.md) reads as a two-model trace: a line with {@code llm_full} and no
 * {@code models} is a label record; its small model (named by {@code slm_model}, else {@code slm}) answers with
 * level 0 and carries the K samples and the hint levels above 0, its large model ({@code llm_model}, else
 * {@code llm}) answers with {@code llm_full}; a quality φ of exactly 0 or 1 reads as {@code correct}, any other as a
 * {@code score}.
 *
 * <p>Unknown fields are ignored, so a file may carry more than replay reads. Every record must answer the same
 * models; the trace's model order is the first record's. Problems are {@link TraceFormatException}s naming the
 * source, line and field.
 *
 * <p>Stateless and thread-safe.
 */
public final class TraceJsonl {

    /** Model name of a label file's small model when the record does not name it. */
    public static final String LABEL_SMALL = "slm";
    /** Model name of a label file's large model when the record does not name it. */
    public static final String LABEL_LARGE = "llm";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceJsonl() {
    }

    /**
     * Reads a file.
     *
     * @throws TraceFormatException when it is missing or malformed
     * @throws UncheckedIOException when it cannot be read
     */
    public static Trace read(Path file) {
        return read(file, file.toString());
    }

    /**
     * Reads a file, naming it {@code source} in messages and in the result.
     *
     * @throws TraceFormatException when it is missing or malformed
     * @throws UncheckedIOException when it cannot be read
     */
    public static Trace read(Path file, String source) {
        return TraceFiles.read(file, source, TraceJsonl::read);
    }

    /**
     * Reads JSONL text; blank lines are skipped.
     *
     * @param reader the text
     * @param source the name to report in messages and in the result
     * @throws TraceFormatException when the text is malformed
     * @throws IOException when the reader fails
     */
    public static Trace read(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<TraceRecord> records = new ArrayList<>();
        List<String> models = null;
        String line;
        long n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new TraceFormatException(source, n, null, "malformed or truncated JSON: "
                        + e.getOriginalMessage(), e);
            }
            Fields f = new Fields(source, n);
            if (node == null || !node.isObject()) {
                throw new TraceFormatException(source, n, null, "expected a JSON object but was "
                        + (node == null ? "nothing" : node.getNodeType()));
            }
            TraceRecord r = node.has("models") || !node.has("llm_full") ? record(f, node) : LabelRecords.read(f, node);
            if (models == null) {
                models = List.copyOf(r.responses().keySet());
            } else if (!r.responses().keySet().equals(new HashSet<>(models))) {
                throw new TraceFormatException(source, n, "models", "answers " + r.responses().keySet()
                        + " but the first record answers " + models + "; every record must answer the same models");
            }
            records.add(inOrder(r, models));
        }
        if (models == null) {
            throw new TraceFormatException(source, 0, null, "trace is empty: expected one JSON object per line");
        }
        try {
            return new Trace(source, models, records);
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(source, 0, null, e.getMessage(), e);
        }
    }

    private static TraceRecord inOrder(TraceRecord r, List<String> models) {
        Map<String, Response> m = new LinkedHashMap<>();
        models.forEach(name -> m.put(name, r.responses().get(name)));
        return new TraceRecord(r.id(), r.query(), r.gold(), m, r.line());
    }

    private static TraceRecord record(Fields f, JsonNode node) {
        String id = f.id(node);
        String query = f.text(node, "query", "");
        if (query.isBlank()) {
            throw f.error("query", "must not be blank");
        }
        JsonNode models = f.require(node, "models", "");
        if (!models.isObject() || models.isEmpty()) {
            throw f.error("models", "must be a non-empty object {MODEL: {text, correct|score, ...}} but was " + models);
        }
        Map<String, Response> responses = new LinkedHashMap<>();
        models.fields().forEachRemaining(e -> {
            if (e.getKey().isBlank()) {
                throw f.error("models", "a model name is blank");
            }
            responses.put(e.getKey(), response(f, e.getValue(), "models." + e.getKey() + ".", true));
        });
        return new TraceRecord(id, query, f.optionalText(node, "gold", ""), responses, f.line());
    }

    private static Response response(Fields f, JsonNode n, String where, boolean nested) {
        if (n == null || !n.isObject()) {
            throw f.error(where.substring(0, where.length() - 1), "must be an object {text, correct|score, ...} but was "
                    + n);
        }
        Long in = f.tokens(n, "input_tokens", where);
        Long out = f.tokens(n, "output_tokens", where);
        String text = f.optionalText(n, "text", where);
        if (text == null && (in == null || out == null)) {
            throw f.error(where + "text", "is missing (it may be left out only when input_tokens and output_tokens "
                    + "are given)");
        }
        Double confidence = f.optionalNumber(n, "confidence", where);
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            throw f.error(where + "confidence", "must be in [0, 1] but was " + confidence);
        }
        List<Sample> samples = new ArrayList<>();
        List<HintLevel> hints = new ArrayList<>();
        if (nested) {
            JsonNode sn = f.optionalArray(n, "samples", where);
            for (int i = 0; sn != null && i < sn.size(); i++) {
                samples.add(sample(f, sn.get(i), where + "samples[" + i + "]."));
            }
            JsonNode hn = f.optionalArray(n, "hints", where);
            for (int i = 0; hn != null && i < hn.size(); i++) {
                hints.add(hint(f, hn.get(i), where + "hints[" + i + "]."));
            }
        }
        return new Response(text == null ? "" : text, f.outcome(n, where), in, out, confidence, samples, hints);
    }

    private static Sample sample(Fields f, JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw f.error(where.substring(0, where.length() - 1), "must be an object but was " + n);
        }
        String text = f.optionalText(n, "text", where);
        return new Sample(text == null ? "" : text, f.optionalText(n, "answer", where), f.outcome(n, where),
                f.tokens(n, "input_tokens", where), f.tokens(n, "output_tokens", where));
    }

    private static HintLevel hint(Fields f, JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw f.error(where.substring(0, where.length() - 1), "must be an object but was " + n);
        }
        long percent = f.integer(n, "percent", where);
        if (percent < 0 || percent > 100) {
            throw f.error(where + "percent", "must be in [0, 100] but was " + percent);
        }
        Long hintTokens = f.tokens(n, "hint_tokens", where);
        if (hintTokens == null) {
            throw f.error(where + "hint_tokens", "is missing");
        }
        Long hintIn = f.tokens(n, "hint_input_tokens", where);
        String text = f.optionalText(n, "hint_text", where);
        return new HintLevel((int) percent, (int) Math.min(hintTokens, Integer.MAX_VALUE), text == null ? "" : text,
                hintIn == null ? 0 : hintIn, f.optionalText(n, "from", where),
                response(f, f.require(n, "response", where), where + "response.", false));
    }

    /**
     * Writes a trace as JSONL, one record per line, creating or replacing the file.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public static void write(Path file, Trace trace) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out, trace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a trace as JSONL, one record per line. */
    public static void write(Writer out, Trace trace) throws IOException {
        Objects.requireNonNull(trace, "trace");
        for (TraceRecord r : trace.records()) {
            out.write(JSON.writeValueAsString(toJson(r)));
            out.write('\n');
        }
        out.flush();
    }

    /** Returns one record as a JSON object in the trace format. */
    public static ObjectNode toJson(TraceRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id()).put("query", r.query());
        if (r.gold() != null) {
            n.put("gold", r.gold());
        }
        ObjectNode models = n.putObject("models");
        r.responses().forEach((name, resp) -> models.set(name, toJson(resp)));
        return n;
    }

    private static ObjectNode toJson(Response r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", r.text());
        outcome(n, r.outcome());
        tokens(n, r.inputTokens(), r.outputTokens());
        if (r.confidence() != null) {
            n.put("confidence", r.confidence());
        }
        if (!r.samples().isEmpty()) {
            ArrayNode a = n.putArray("samples");
            for (Sample s : r.samples()) {
                ObjectNode sn = a.addObject().put("text", s.text());
                if (s.answer() != null) {
                    sn.put("answer", s.answer());
                }
                outcome(sn, s.outcome());
                tokens(sn, s.inputTokens(), s.outputTokens());
            }
        }
        if (!r.hints().isEmpty()) {
            ArrayNode a = n.putArray("hints");
            for (HintLevel h : r.hints()) {
                ObjectNode hn = a.addObject().put("percent", h.percent()).put("hint_tokens", h.hintTokens())
                        .put("hint_text", h.hintText()).put("hint_input_tokens", h.hintInputTokens());
                if (h.from() != null) {
                    hn.put("from", h.from());
                }
                hn.set("response", toJson(h.response()));
            }
        }
        return n;
    }

    private static void outcome(ObjectNode n, Outcome o) {
        if (o.correct() != null) {
            n.put("correct", o.correct());
        } else {
            n.put("score", o.score());
        }
    }

    private static void tokens(ObjectNode n, Long in, Long out) {
        if (in != null) {
            n.put("input_tokens", in);
        }
        if (out != null) {
            n.put("output_tokens", out);
        }
    }

    /** Field access that names source, line and field on failure. */
    record Fields(String source, long line) {

        TraceFormatException error(String field, String message) {
            return new TraceFormatException(source, line, field, message);
        }

        JsonNode require(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                throw error(where + name, "is missing");
            }
            return v;
        }

        String id(JsonNode n) {
            JsonNode v = require(n, "id", "");
            if (v.isTextual() && !v.asText().isBlank() || v.isIntegralNumber()) {
                return v.asText();
            }
            throw error("id", "must be a non-blank string (or an integer) but was " + v);
        }

        String text(JsonNode n, String name, String where) {
            JsonNode v = require(n, name, where);
            if (!v.isTextual()) {
                throw error(where + name, "must be a string but was " + v);
            }
            return v.asText();
        }

        /** A string (or a number, read as its text) that may be absent or null. */
        String optionalText(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual() && !v.isNumber()) {
                throw error(where + name, "must be a string but was " + v);
            }
            return v.asText();
        }

        Double optionalNumber(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isNumber()) {
                throw error(where + name, "must be a number but was " + v);
            }
            return v.asDouble();
        }

        long integer(JsonNode n, String name, String where) {
            JsonNode v = require(n, name, where);
            if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
                throw error(where + name, "must be an integer but was " + v);
            }
            return v.asLong();
        }

        Long tokens(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() < 0) {
                throw error(where + name, "must be an integer >= 0 but was " + v);
            }
            return v.asLong();
        }

        JsonNode optionalArray(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                throw error(where + name, "must be an array but was " + v);
            }
            return v;
        }

        Outcome outcome(JsonNode n, String where) {
            JsonNode c = n.get("correct");
            JsonNode s = n.get("score");
            boolean hasC = c != null && !c.isNull();
            boolean hasS = s != null && !s.isNull();
            if (hasC == hasS) {
                throw error(where + "correct", hasC ? "give either correct or score, not both"
                        : "is missing: give correct (true/false) or score (a number in [0, 1])");
            }
            if (hasC) {
                if (!c.isBoolean()) {
                    throw error(where + "correct", "must be true or false but was " + c);
                }
                return Outcome.correct(c.asBoolean());
            }
            if (!s.isNumber() || !(s.asDouble() >= 0 && s.asDouble() <= 1)) {
                throw error(where + "score", "must be a number in [0, 1] but was " + s);
            }
            return Outcome.score(s.asDouble());
        }
    }
}
