package dev.shepherd.cli.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shepherd.cli.InputException;
import dev.shepherd.core.InvalidQueryException;
import dev.shepherd.core.Query;

import java.util.regex.Pattern;

/** Maps one parsed JSONL record of a known format to an {@link Example}. Stateless and thread-safe. */
final class ExampleMapper {

    private static final Pattern NUMERIC = Pattern.compile("\\s*[-−]?[\\d,]*\\.?\\d+(\\s*/\\s*\\d+)?\\s*");

    private ExampleMapper() {
    }

    static Example map(DatasetFormat format, JsonNode node, String stem, int index, String file, long line) {
        String source = file + ":" + line;
        try {
            return switch (format) {
                case GSM8K -> gsm8k(node, stem, index, file, line, source);
                case HUMANEVAL -> humanEval(node, file, line, source);
                case MBPP -> mbpp(node, file, line, source);
                case JSONL -> generic(node, stem, index, file, line, source);
            };
        } catch (InvalidQueryException e) {
            throw new InputException(file, line, null, e.getMessage());
        }
    }

    private static Example gsm8k(JsonNode n, String stem, int index, String file, long line, String source) {
        String question = text(n, "question", file, line);
        String answer = text(n, "answer", file, line);
        int at = answer.lastIndexOf("####");
        String gold = at < 0 ? "" : answer.substring(at + 4).strip();
        if (gold.isEmpty()) {
            throw new InputException(file, line, "answer", "missing gold answer: no '#### <answer>' in the answer");
        }
        return new Example(Query.of(stem + "-" + index, question, gold), TaskKind.MATH, null, source);
    }

    private static Example humanEval(JsonNode n, String file, long line, String source) {
        String id = text(n, "task_id", file, line);
        String prompt = text(n, "prompt", file, line);
        String test = text(n, "test", file, line);
        String entry = text(n, "entry_point", file, line);
        String solution = n.hasNonNull("canonical_solution") ? n.get("canonical_solution").asText() : "";
        String tests = test + "\n\ncheck(" + entry + ")\n";
        return new Example(Query.of(id, prompt, prompt + solution), TaskKind.CODE, tests, source);
    }

    private static Example mbpp(JsonNode n, String file, long line, String source) {
        String id = "mbpp-" + text(n, "task_id", file, line);
        String task = text(n, "text", file, line);
        JsonNode list = n.get("test_list");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InputException(file, line, "test_list", "missing gold answer: expected a non-empty array of asserts");
        }
        StringBuilder asserts = new StringBuilder();
        for (JsonNode t : list) {
            asserts.append(t.asText()).append('\n');
        }
        String setup = n.hasNonNull("test_setup_code") ? n.get("test_setup_code").asText() : "";
        String code = n.hasNonNull("code") ? n.get("code").asText() : "";
        String prompt = task + "\nYour code should pass these tests:\n" + asserts;
        return new Example(Query.of(id, prompt, code), TaskKind.CODE, setup + "\n" + asserts, source);
    }

    private static Example generic(JsonNode n, String stem, int index, String file, long line, String source) {
        String query = text(n, "query", file, line);
        JsonNode goldNode = n.get("gold");
        if (goldNode == null || goldNode.isNull() || goldNode.asText().isBlank()) {
            throw new InputException(file, line, "gold", "missing gold answer");
        }
        String gold = goldNode.asText();
        String id = n.hasNonNull("id") ? n.get("id").asText() : stem + "-" + index;
        if (n.hasNonNull("tests")) {
            return new Example(Query.of(id, query, gold), TaskKind.CODE, n.get("tests").asText(), source);
        }
        TaskKind kind = NUMERIC.matcher(gold).matches() ? TaskKind.MATH : TaskKind.TEXT;
        return new Example(Query.of(id, query, gold), kind, null, source);
    }

    private static String text(JsonNode n, String field, String file, long line) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new InputException(file, line, field, "missing required field");
        }
        String s = v.asText();
        if (s.isBlank()) {
            throw new InputException(file, line, field, "must not be empty");
        }
        return s;
    }
}
