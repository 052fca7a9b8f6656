package dev.shepherd.onnx.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.onnx.DataFormatException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes label JSONL files ({@code docs/labels.md}). Stateless and thread-safe.
 * {@code NaN} feature values are read (and later rejected by the trainer, naming the example).
 */
public final class LabelFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private LabelFile() {
    }

    /**
     * Reads every record; blank lines are skipped.
     *
     * @throws DataFormatException naming file and line for malformed or truncated JSON, a missing
     *                             field or a value of the wrong type
     * @throws UncheckedIOException when the file cannot be read
     */
    public static List<LabelRecord> read(Path file) {
        List<LabelRecord> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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
                    throw new DataFormatException(file, n, "malformed or truncated JSON: " + e.getOriginalMessage(), e);
                }
                out.add(parse(file, n, node));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label file " + file, e);
        }
        return out;
    }

    private static LabelRecord parse(Path file, long line, JsonNode node) {
        Fields f = new Fields(file, line);
        if (!node.isObject()) {
            throw new DataFormatException(file, line, "expected a JSON object but was " + node.getNodeType());
        }
        String id = f.text(node, "id");
        List<LabelRecord.HintLevel> levels = new ArrayList<>();
        JsonNode lv = f.require(node, "levels");
        if (!lv.isArray() || lv.isEmpty()) {
            throw new DataFormatException(file, line, "field 'levels' must be a non-empty array");
        }
        for (int i = 0; i < lv.size(); i++) {
            JsonNode l = lv.get(i);
            String where = "levels[" + i + "].";
            levels.add(new LabelRecord.HintLevel((int) f.number(l, "percent", where),
                    (int) f.number(l, "hint_tokens", where), l.path("hint_text").asText(""),
                    (long) l.path("hint_input_tokens").asDouble(0), call(f, f.require(l, "slm", where), where + "slm.")));
        }
        Map<String, Double> features = new LinkedHashMap<>();
        node.path("features").fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber()) {
                throw new DataFormatException(file, line, "field 'features." + e.getKey() + "' must be a number but was "
                        + e.getValue());
            }
            features.put(e.getKey(), e.getValue().asDouble());
        });
        List<LabelRecord.Sample> samples = new ArrayList<>();
        JsonNode sn = node.get("samples");
        if (sn != null && !sn.isNull()) {
            if (!sn.isArray()) {
                throw new DataFormatException(file, line, "field 'samples' must be an array but was " + sn);
            }
            for (int i = 0; i < sn.size(); i++) {
                samples.add(sample(f, sn.get(i), "samples[" + i + "]."));
            }
        }
        String entropy = f.optionalText(node, "entropy", "");
        if (entropy != null && !entropy.equals(LabelRecord.ENTROPY_TOKEN) && !entropy.equals(LabelRecord.ENTROPY_ANSWER)) {
            throw new DataFormatException(file, line, "field 'entropy' must be \"token\" or \"answer\" but was \""
                    + entropy + "\"");
        }
        JsonNode all = node.get("all_levels");
        if (all != null && !all.isNull() && !all.isBoolean()) {
            throw new DataFormatException(file, line, "field 'all_levels' must be true or false but was " + all);
        }
        LabelRecord.ModelCall full = call(f, f.require(node, "llm_full"), "llm_full.");
        int nStar = (int) f.number(node, "n_star");
        // Without n_star_percent, 100 ("no hint level passed") only when n* covers the whole answer.
        int percent = node.hasNonNull("n_star_percent") ? (int) node.get("n_star_percent").asDouble()
                : nStar >= full.outputTokens() ? 100 : (int) (100L * nStar / Math.max(1, full.outputTokens()));
        return new LabelRecord(id, node.path("dataset").asText(""), f.text(node, "query"),
                node.hasNonNull("gold") ? node.get("gold").asText() : null, full, levels, samples, features, entropy,
                all != null && all.asBoolean(false), nStar, percent, node.path("keep").asBoolean(true));
    }

    private static LabelRecord.Sample sample(Fields f, JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw new DataFormatException(f.file(), f.line(), "field '" + where.substring(0, where.length() - 1)
                    + "' must be an object but was " + n);
        }
        String text = f.optionalText(n, "text", where);
        JsonNode entropy = n.get("mean_entropy");
        Double meanEntropy = null;
        if (entropy != null && !entropy.isNull()) {
            if (!entropy.isNumber()) {
                throw new DataFormatException(f.file(), f.line(), "field '" + where + "mean_entropy' must be a number "
                        + "but was " + entropy);
            }
            meanEntropy = entropy.asDouble();
        }
        return new LabelRecord.Sample(text == null ? "" : text, f.optionalText(n, "answer", where),
                (long) f.number(n, "input_tokens", where), (long) f.number(n, "output_tokens", where), meanEntropy,
                f.number(n, "quality", where));
    }

    private static LabelRecord.ModelCall call(Fields f, JsonNode n, String where) {
        return new LabelRecord.ModelCall(n.path("text").asText(""), (long) f.number(n, "input_tokens", where),
                (long) f.number(n, "output_tokens", where), n.path("finish_reason").asText(""),
                f.number(n, "quality", where));
    }

    /** Writes records as JSONL, one per line (the fields of {@code docs/labels.md} this module uses). */
    public static void write(Path file, List<LabelRecord> records) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LabelRecord r : records) {
                out.write(JSON.writeValueAsString(toJson(r)));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write label file " + file, e);
        }
    }

    private static ObjectNode toJson(LabelRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id()).put("dataset", r.dataset()).put("query", r.query()).put("gold", r.gold());
        n.set("llm_full", toJson(r.largeFull()));
        ArrayNode levels = n.putArray("levels");
        for (LabelRecord.HintLevel l : r.levels()) {
            ObjectNode ln = levels.addObject();
            ln.put("percent", l.percent()).put("hint_tokens", l.hintTokens()).put("hint_text", l.hintText())
                    .put("hint_input_tokens", l.hintInputTokens());
            ln.set("slm", toJson(l.small()));
        }
        ArrayNode samples = n.putArray("samples");
        for (LabelRecord.Sample s : r.samples()) {
            ObjectNode sn = samples.addObject();
            sn.put("text", s.text()).put("answer", s.answer()).put("input_tokens", s.inputTokens())
                    .put("output_tokens", s.outputTokens());
            if (s.meanEntropy() != null) {
                sn.put("mean_entropy", s.meanEntropy());
            }
            sn.put("quality", s.quality());
        }
        ObjectNode features = n.putObject("features");
        r.features().forEach(features::put);
        n.put("entropy", r.entropy()).put("all_levels", r.allLevels());
        n.put("n_star", r.nStar()).put("n_star_percent", r.nStarPercent()).put("keep", r.keep());
        return n;
    }

    private static ObjectNode toJson(LabelRecord.ModelCall c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", c.text()).put("input_tokens", c.inputTokens()).put("output_tokens", c.outputTokens())
                .put("finish_reason", c.finishReason()).put("quality", c.quality());
        return n;
    }

    /** Field access that names file, line and field on failure. */
    private record Fields(Path file, long line) {

        JsonNode require(JsonNode n, String name) {
            return require(n, name, "");
        }

        JsonNode require(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                throw new DataFormatException(file, line, "field '" + where + name + "' is missing");
            }
            return v;
        }

        /** A string field that may be absent or null (then null). */
        String optionalText(JsonNode n, String name, String where) {
            JsonNode v = n.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw new DataFormatException(file, line, "field '" + where + name + "' must be a string but was " + v);
            }
            return v.asText();
        }

        String text(JsonNode n, String name) {
            JsonNode v = require(n, name);
            if (!v.isTextual()) {
                throw new DataFormatException(file, line, "field '" + name + "' must be a string but was " + v);
            }
            return v.asText();
        }

        double number(JsonNode n, String name) {
            return number(n, name, "");
        }

        double number(JsonNode n, String name, String where) {
            JsonNode v = require(n, name, where);
            if (!v.isNumber()) {
                throw new DataFormatException(file, line, "field '" + where + name + "' must be a number but was " + v);
            }
            return v.asDouble();
        }
    }
}
