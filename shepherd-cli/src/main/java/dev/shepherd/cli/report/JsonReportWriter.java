package dev.shepherd.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.cli.eval.CurvePoint;
import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.LadderComparison;
import dev.shepherd.cli.eval.LadderModel;
import dev.shepherd.cli.eval.NotComputable;
import dev.shepherd.cli.eval.Scores;
import dev.shepherd.cli.eval.StrategyResult;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.ModelRole;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Writes an {@link EvalReport} as JSON: {@code dataset, queries, tokenizer, slm_model, llm_model, floor, reference,
 * models[{name, prices, prices_from, tokens_counted}] (N-model replay only), strategies[{name, accuracy, cost_usd,
 * cost_reduction, ace, apgr, cpt_50, cpt_80, ibc_lift, llm_calls, calls_per_model, hint_tokens, failures,
 * min_cost_to_target, note, curve}], ladder_vs_best_pair (three models or more: {best_pair{cheaper, dearer}, criterion,
 * rows[{side, models, name, accuracy, cost_usd, ace, apgr, cpt_50, cpt_80, llm_calls, min_cost_to_target,
 * calls_per_model, note}], pairs[{cheaper, dearer, strategies[...], not_computable}], not_computable}),
 * not_computable[{name, reason}], notes}. {@code llm_calls} counts calls to the
 * reference (the most expensive model); CPTs are shares of the queries, IBC lift a fraction (docs/metrics.md).
 * Undefined values (ACE of the floor, an unreached target) are {@code null}. Stateless and thread-safe.
 */
public final class JsonReportWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReportWriter() {
    }

    /** Returns the report as a JSON tree. */
    public static ObjectNode toJson(EvalReport r) {
        Scores scores = r.scores();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("dataset", r.dataset());
        root.put("queries", r.queries());
        root.put("tokenizer", r.tokenizer());
        root.put("slm_model", r.smallModel());
        root.put("llm_model", r.largeModel());
        root.put("floor", r.floorStrategy());
        root.put("reference", r.referenceStrategy());
        ObjectNode prices = root.putObject("prices_per_million_tokens");
        prices.set("slm", prices(r.prices().prices(ModelRole.SMALL)));
        prices.set("llm", prices(r.prices().prices(ModelRole.LARGE)));
        if (!r.ladder().isEmpty()) {
            ArrayNode models = root.putArray("models");
            for (LadderModel m : r.ladder()) {
                ObjectNode mo = models.addObject().put("name", m.name());
                mo.set("prices_per_million_tokens", prices(m.prices()));
                mo.put("prices_from", m.pricesFrom()).put("tokens_counted", m.tokensCounted());
            }
        }
        root.put("target_accuracy", scores.targetAccuracy());
        ArrayNode strategies = root.putArray("strategies");
        for (StrategyResult s : r.strategies()) {
            ObjectNode o = strategies.addObject();
            o.put("name", s.name());
            o.put("accuracy", s.accuracy());
            o.put("cost_usd", s.costUsd());
            put(o, "cost_reduction", scores.costReduction(s.costUsd()));
            put(o, "ace", r.isFloor(s) ? OptionalDouble.empty() : scores.ace(s.accuracy(), s.costUsd()));
            put(o, "apgr", scores.apgr(s));
            put(o, "cpt_50", scores.cpt(s, 0.5));
            put(o, "cpt_80", scores.cpt(s, 0.8));
            put(o, "ibc_lift", scores.ibcLift(s));
            o.put("llm_calls", s.largeCalls());
            if (!s.modelCalls().isEmpty()) {
                ObjectNode calls = o.putObject("calls_per_model");
                s.modelCalls().forEach(calls::put);
            }
            o.put("hint_tokens", s.hintTokens());
            o.put("failures", s.failures());
            put(o, "min_cost_to_target", scores.minCostToTarget(s));
            o.put("note", s.note());
            if (!s.curve().isEmpty()) {
                ArrayNode curve = o.putArray("curve");
                for (CurvePoint p : s.curve()) {
                    curve.addObject().put("parameter", p.parameter()).put("accuracy", p.accuracy())
                            .put("cost_usd", p.costUsd()).put("llm_calls", p.largeCalls());
                }
            }
        }
        r.ladderComparison().ifPresent(c -> root.set("ladder_vs_best_pair", comparison(c, scores)));
        notComputable(root.putArray("not_computable"), r.notComputable());
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        return root;
    }

    /**
     * Writes the report to {@code file} atomically.
     *
     * @param r the report
     * @param file the target file
     */
    public static void write(EvalReport r, Path file) {
        AtomicFiles.write(file, toString(r).getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the report as indented JSON text. */
    public static String toString(EvalReport r) {
        try {
            return MAPPER.writeValueAsString(toJson(r)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode comparison(LadderComparison c, Scores scores) {
        ObjectNode o = MAPPER.createObjectNode();
        o.putObject("best_pair").put("cheaper", c.cheaper()).put("dearer", c.dearer());
        o.put("criterion", c.criterion());
        ArrayNode rows = o.putArray("rows");
        for (LadderComparison.Row row : c.rows()) {
            ObjectNode ro = metrics(rows.addObject().put("side", row.side()).put("models", row.models()),
                    row.result(), scores);
            ro.put("note", row.result().note());
        }
        ArrayNode pairs = o.putArray("pairs");
        for (LadderComparison.Pair p : c.pairs()) {
            ObjectNode po = pairs.addObject().put("cheaper", p.cheaper()).put("dearer", p.dearer());
            ArrayNode ps = po.putArray("strategies");
            p.strategies().forEach(s -> metrics(ps.addObject(), s, scores));
            notComputable(po.putArray("not_computable"), p.notComputable());
        }
        notComputable(o.putArray("not_computable"), c.notComputable());
        return o;
    }

    /** {@code name, accuracy, cost_usd, ace, apgr, cpt_50, cpt_80, llm_calls, min_cost_to_target} into {@code o}. */
    private static ObjectNode metrics(ObjectNode o, StrategyResult s, Scores scores) {
        o.put("name", s.name()).put("accuracy", s.accuracy()).put("cost_usd", s.costUsd());
        put(o, "ace", scores.ace(s.accuracy(), s.costUsd()));
        put(o, "apgr", scores.apgr(s));
        put(o, "cpt_50", scores.cpt(s, 0.5));
        put(o, "cpt_80", scores.cpt(s, 0.8));
        o.put("llm_calls", s.largeCalls());
        put(o, "min_cost_to_target", scores.minCostToTarget(s));
        if (!s.modelCalls().isEmpty()) {
            ObjectNode calls = o.putObject("calls_per_model");
            s.modelCalls().forEach(calls::put);
        }
        return o;
    }

    private static void notComputable(ArrayNode into, List<NotComputable> list) {
        for (NotComputable n : list) {
            into.addObject().put("name", n.name()).put("reason", n.reason());
        }
    }

    private static ObjectNode prices(TokenPrices p) {
        return MAPPER.createObjectNode().put("input", p.inputPerMillion()).put("output", p.outputPerMillion());
    }

    private static void put(ObjectNode o, String field, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(field, v.getAsDouble());
        } else {
            o.putNull(field);
        }
    }
}
