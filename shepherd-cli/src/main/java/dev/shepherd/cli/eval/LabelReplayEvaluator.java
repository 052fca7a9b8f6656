package dev.shepherd.cli.eval;

import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.onnx.training.Calibration;
import dev.shepherd.onnx.training.CalibrationResult;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.PredictorUse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Computes strategies exactly from recorded label files ({@code shepherd label}): no model is called. Each decision
 * is replayed on what the record holds (shepherd-onnx's {@link Calibration} owns the replay rules): the small model
 * alone is level 0, a hint of n tokens is the largest recorded level of at most n tokens, the full answer is
 * {@code llm_full}, and the agreement gate is replayed from the K recorded samples. Strategies with a knob also get
 * a curve over it, for the plot.
 *
 * <p>Immutable and thread-safe.
 */
public final class LabelReplayEvaluator {

    /** The bundle's heads and rules for the predictor strategies; any may be {@code null}. */
    public record Bundle(String name, HintPredictor queryOnly, HintPredictor reactive, HintDecisionRule routingRule,
                         HintDecisionRule proactiveRule, HintDecisionRule reactiveRule, Integer reactiveAgreement) {
    }

    private static final int CURVE_STEPS = 50;

    private final CostModel prices;

    /**
     * @param prices token prices of both models
     */
    public LabelReplayEvaluator(CostModel prices) {
        this.prices = Objects.requireNonNull(prices, "prices");
    }

    /**
     * Replays every strategy the records allow.
     *
     * @param source     the label file, for the report
     * @param records    the records, non-empty
     * @param bundle     the predictor, or {@code null}
     * @param hintTokens fixed-hint's size
     * @param agreement  k of agreement-cascade (and of reactive shepherding when the bundle has no calibrated k)
     * @return the report
     */
    public EvalReport evaluate(String source, List<LabelRecord> records, Bundle bundle, int hintTokens, int agreement) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no label records to replay in " + source);
        }
        int n = records.size();
        List<StrategyResult> out = new ArrayList<>();
        List<NotComputable> missing = new ArrayList<>();
        Calibration base = calibration(records, constant(n, 0, 0), PredictorUse.PROACTIVE);
        CalibrationResult slm = base.smallOnly();
        CalibrationResult llm = base.largeOnly();
        out.add(point("slm-only", slm, n, "level 0 of each record: the small model's recorded answer"));
        out.add(point("llm-only", llm, n, "llm_full: the large model's recorded full answer"));
        out.add(oracleRouting(records));
        out.add(oracleShepherding(records));
        boolean samples = records.stream().allMatch(LabelRecord::hasSamples);
        int kMax = records.stream().mapToInt(r -> r.samples().size()).min().orElse(0);
        double share = 0.5;
        if (bundle != null && bundle.queryOnly() != null) {
            Calibration routing = calibration(records, bundle.queryOnly(), PredictorUse.ROUTING);
            StrategyResult r = knob("routing", routing, bundle.routingRule(), 0, n,
                    "whole query to the LLM iff P(need) >= alpha; curve sweeps alpha");
            out.add(r);
            share = r.largeCalls() / n;
            Calibration proactive = calibration(records, bundle.queryOnly(), PredictorUse.PROACTIVE);
            out.add(knob("proactive-shepherding", proactive, bundle.proactiveRule(), 0, n,
                    "bundle " + bundle.name() + "'s query-only heads; curve sweeps alpha"));
        } else {
            for (String s : List.of("routing", "proactive-shepherding")) {
                missing.add(new NotComputable(s, "needs --predictor BUNDLE"));
            }
        }
        out.add(StrategyResult.randomRouting(share, slm.accuracy(), llm.accuracy(), n * slm.meanCost(),
                n * llm.meanCost(), n));
        int size = Math.max(1, hintTokens);
        Calibration fixed = calibration(records, constant(n, 1, size), PredictorUse.PROACTIVE);
        out.add(point("fixed-hint", fixed.evaluate(new HintDecisionRule(0, size, size)), n,
                "a " + size + "-token hint for every query"));
        if (samples && kMax >= 1) {
            int k = Math.min(agreement, kMax);
            Calibration cascade = calibration(records, constant(n, 1, 1 << 20), PredictorUse.REACTIVE);
            HintDecisionRule toLarge = new HintDecisionRule(0, 1, 1 << 20);
            List<CurvePoint> curve = new ArrayList<>();
            for (int j = 1; j <= kMax; j++) {
                CalibrationResult c = cascade.evaluate(toLarge, j);
                curve.add(new CurvePoint(j, c.accuracy(), c.meanCost() * n, (c.hintShare() + c.largeShare()) * n));
            }
            CalibrationResult at = cascade.evaluate(toLarge, k);
            out.add(new StrategyResult("agreement-cascade", at.accuracy(), at.meanCost() * n,
                    (at.hintShare() + at.largeShare()) * n, 0, curve, kMax + " recorded samples; the LLM unless " + k
                    + " agree; curve sweeps k"));
            if (bundle != null && bundle.reactive() != null) {
                int rk = Math.min(bundle.reactiveAgreement() != null ? bundle.reactiveAgreement() : agreement, kMax);
                Calibration reactive = calibration(records, bundle.reactive(), PredictorUse.REACTIVE);
                out.add(knob("reactive-shepherding", reactive, bundle.reactiveRule(), rk, n,
                        "agreement gate k=" + rk + " of " + kMax + ", then bundle " + bundle.name()
                                + "'s reactive heads; curve sweeps alpha"));
            } else {
                missing.add(new NotComputable("reactive-shepherding", bundle == null ? "needs --predictor BUNDLE"
                        : "the bundle has no reactive heads"));
            }
        } else {
            String why = "needs K small-model samples per record (label with --samples 3)";
            missing.add(new NotComputable("agreement-cascade", why));
            missing.add(new NotComputable("reactive-shepherding", why));
        }
        List<String> notes = new ArrayList<>();
        notes.add("replayed from recorded labels: no model was called");
        notes.addAll(base.assumptions());
        return new EvalReport(source, n, "model-reported usage (recorded)", "recorded small model",
                "recorded large model", prices, out, missing, notes);
    }

    private Calibration calibration(List<LabelRecord> records, HintPredictor predictor, PredictorUse use) {
        return Calibration.builder().records(records).predictor(predictor).costModel(prices).use(use).build();
    }

    private Calibration calibration(List<LabelRecord> records, List<HintPrediction> predictions, PredictorUse use) {
        return Calibration.builder().records(records).predictions(predictions).costModel(prices).use(use).build();
    }

    private static List<HintPrediction> constant(int n, double p, double tokens) {
        List<HintPrediction> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(HintPrediction.of(p, tokens));
        }
        return out;
    }

    /** A strategy at its rule's α, with a curve over α at the rule's η. */
    private static StrategyResult knob(String name, Calibration c, HintDecisionRule rule, int k, int n, String note) {
        List<CurvePoint> curve = new ArrayList<>();
        for (int i = 0; i <= CURVE_STEPS; i++) {
            double a = i / (double) CURVE_STEPS;
            CalibrationResult r = c.evaluate(new HintDecisionRule(a, rule.etaHint(), rule.maxHint(), rule.hintScale()), k);
            curve.add(new CurvePoint(a, r.accuracy(), r.meanCost() * n, (r.hintShare() + r.largeShare()) * n));
        }
        CalibrationResult at = c.evaluate(rule, k);
        return new StrategyResult(name, at.accuracy(), at.meanCost() * n, (at.hintShare() + at.largeShare()) * n, 0,
                curve, String.format(Locale.ROOT, "%s; alpha=%.2f eta_hint=%d (SLM %.0f %%, hint %.0f %%, LLM %.0f %%)",
                note, rule.alpha(), rule.etaHint(), 100 * at.smallShare(), 100 * at.hintShare(), 100 * at.largeShare()));
    }

    private static StrategyResult point(String name, CalibrationResult r, int n, String note) {
        return StrategyResult.point(name, r.accuracy(), r.meanCost() * n, (r.hintShare() + r.largeShare()) * n, 0, note);
    }

    private StrategyResult oracleRouting(List<LabelRecord> records) {
        double q = 0;
        double cost = 0;
        int calls = 0;
        for (LabelRecord r : records) {
            LabelRecord.ModelCall s = r.levels().get(0).small();
            boolean route = s.quality() < r.largeFull().quality();
            LabelRecord.ModelCall used = route ? r.largeFull() : s;
            q += used.quality();
            cost += prices.cost(route ? ModelRole.LARGE : ModelRole.SMALL,
                    used.inputTokens(), used.outputTokens());
            calls += route ? 1 : 0;
        }
        return StrategyResult.point("oracle-routing", q / records.size(), cost, calls, 0,
                "the LLM's full answer exactly where it beats the SLM's");
    }

    private StrategyResult oracleShepherding(List<LabelRecord> records) {
        int n = records.size();
        int max = records.stream().mapToInt(LabelRecord::nStar).max().orElse(0) + 1;
        List<HintPrediction> p = new ArrayList<>(n);
        for (LabelRecord r : records) {
            boolean full = r.nStarPercent() >= 100;
            p.add(full ? HintPrediction.of(1, max + 1) : r.nStar() == 0 ? HintPrediction.of(0, 0)
                    : HintPrediction.of(1, r.nStar()));
        }
        CalibrationResult c = calibration(records, p, PredictorUse.PROACTIVE).evaluate(new HintDecisionRule(0.5, max,
                max + 1));
        return point("oracle-shepherding", c, n, "each record's n*: no hint, the n*-token hint, or the full answer "
                + "when no hint level passed");
    }
}
