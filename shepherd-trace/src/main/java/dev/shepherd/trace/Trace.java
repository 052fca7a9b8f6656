package dev.shepherd.trace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.Collections;

/**
 * A recorded trace: for each query, every model's response and how good it was (docs/trace-format.md). The one
 * model of a trace that replay, training and conversion share; readers: {@link TraceJsonl} (the JSONL format, and
 * {@code shepherd label} files), {@link RouteLlmCsv} (RouteLLM's two-model response CSV).
 *
 * <p>Every record holds a response of every model, so each strategy can be replayed on every query.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source where it was read from (a file or URL), for messages and reports
 * @param models the model names, in file order (not price order: prices are the caller's)
 * @param records the queries, in file order
 */
public record Trace(String source, List<String> models, List<TraceRecord> records) {

    /** Validates: at least one model, unique ids, every record answering exactly these models. */
    public Trace {
        Objects.requireNonNull(source, "source");
        models = List.copyOf(models);
        records = List.copyOf(records);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a trace needs at least one model");
        }
        if (new HashSet<>(models).size() != models.size()) {
            throw new IllegalArgumentException("model names must be unique but were " + models);
        }
        Set<String> ids = new HashSet<>();
        for (TraceRecord r : records) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("duplicate id '" + r.id() + "'" + (r.line() > 0 ? " on line "
                        + r.line() : ""));
            }
            if (!r.responses().keySet().equals(new HashSet<>(models))) {
                throw new IllegalArgumentException("record '" + r.id() + "' answers " + r.responses().keySet()
                        + " but the trace's models are " + models);
            }
        }
    }

    /** Returns the number of queries. */
    public int size() {
        return records.size();
    }

    /** Returns the first {@code n} records (all when {@code n >= size()}). */
    public Trace limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 but was " + n);
        }
        return n >= records.size() ? this : new Trace(source, models, records.subList(0, n));
    }

    /** Returns the records on one side of a split, in file order. */
    public Trace part(HoldoutSplit split, HoldoutSplit.Part part) {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(part, "part");
        return new Trace(source, models, records.stream().filter(r -> split.partOf(r.id()) == part).toList());
    }

    /** Returns a trace of the same queries with other records (the same models). */
    public Trace withRecords(List<TraceRecord> list) {
        return new Trace(source, models, list);
    }

    /**
     * Fills in the token counts a trace does not record, counting with {@code tokens}: input tokens as the tokens of
     * the query text, output tokens as the tokens of the response (or sample) text. Recorded counts are kept.
     *
     * @param tokens a tokenizer's count of a text
     * @return the completed trace and, per model, how many responses and samples were counted
     */
    public Counted countMissingTokens(ToLongFunction<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        Map<String, Integer> counted = new LinkedHashMap<>();
        models.forEach(m -> counted.put(m, 0));
        List<TraceRecord> out = new ArrayList<>(records.size());
        for (TraceRecord r : records) {
            long q = -1;
            Map<String, Response> responses = new LinkedHashMap<>();
            for (Map.Entry<String, Response> e : r.responses().entrySet()) {
                Response resp = e.getValue();
                int n = 0;
                if (!resp.hasTokens()) {
                    q = q < 0 ? tokens.applyAsLong(r.query()) : q;
                    resp = resp.withTokens(resp.inputTokens() != null ? resp.inputTokens() : q,
                            resp.outputTokens() != null ? resp.outputTokens() : tokens.applyAsLong(resp.text()));
                    n++;
                }
                List<Sample> samples = new ArrayList<>(resp.samples().size());
                for (Sample s : resp.samples()) {
                    if (!s.hasTokens()) {
                        q = q < 0 ? tokens.applyAsLong(r.query()) : q;
                        s = s.withTokens(q, tokens.applyAsLong(s.text()));
                        n++;
                    }
                    samples.add(s);
                }
                responses.put(e.getKey(), n == 0 ? resp : resp.withSamples(samples));
                counted.merge(e.getKey(), n, Integer::sum);
            }
            out.add(new TraceRecord(r.id(), r.query(), r.gold(), responses, r.line()));
        }
        return new Counted(withRecords(out), counted);
    }

    /**
     * A trace whose token counts are all known, and how many responses and samples per model had to be counted.
     *
     * @param trace the completed trace
     * @param counted per model, the responses and samples counted with the tokenizer (0: all recorded)
     */
    public record Counted(Trace trace, Map<String, Integer> counted) {

        /** Copies. */
        public Counted {
            Objects.requireNonNull(trace, "trace");
            counted = Collections.unmodifiableMap(new LinkedHashMap<>(counted));
        }

        /** Whether any count came from the tokenizer. */
        public boolean anyCounted() {
            return counted.values().stream().anyMatch(n -> n > 0);
        }
    }
}
