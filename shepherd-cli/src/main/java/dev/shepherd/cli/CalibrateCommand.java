package dev.shepherd.cli;

import dev.shepherd.core.cost.CostModel;
import dev.shepherd.onnx.BundleCalibration;
import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.training.Calibration;
import dev.shepherd.onnx.training.CalibrationException;
import dev.shepherd.onnx.training.CalibrationResult;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.onnx.PredictorBundle;
import dev.shepherd.onnx.PredictorUse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shepherd calibrate}: grid-searches α and η_hint (and k for reactive shepherding) of a bundle on label
 * records without retraining (shepherd-onnx's {@link Calibration}), per policy, and stores the chosen rules in the
 * bundle ({@link PredictorBundle#writeCalibration}), where {@link OnnxHintPredictor#load} applies them. Not
 * thread-safe.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, description = {"Choose the decision rule of a "
        + "predictor bundle for each policy on label records, without retraining: the cheapest rule reaching an "
        + "accuracy floor (default), or the most accurate under a cost cap. The records are replayed: the agreement "
        + "gate from their samples, each hint level from what was recorded."},
        footer = {"", "Example:", "  shepherd calibrate --bundle bundle --labels validation-labels.jsonl"})
final class CalibrateCommand implements Callable<Integer> {

    /** The default accuracy floor, as a share of LLM-only accuracy (the paper's 90 %-of-LLM point). */
    static final double DEFAULT_SHARE = 0.9;
    /** The default margin above the floor, in standard errors of the per-query difference. */
    static final double DEFAULT_MARGIN_SE = 1.0;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Label JSONL (validation records, "
            + "not the ones the bundle was trained on).")
    Path labels;

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "The predictor bundle.")
    Path bundle;

    @Option(names = "--policy", paramLabel = "NAME", description = "Calibrate only this policy: routing, "
            + "proactive-shepherding or reactive-shepherding (default: every one the bundle can serve).")
    String policy;

    @Option(names = "--accuracy-share", defaultValue = "0.9", paramLabel = "SHARE", description = "Accuracy floor as a "
            + "share of LLM-only accuracy on the records (default: ${DEFAULT-VALUE}).")
    double accuracyShare;

    @Option(names = "--margin-se", defaultValue = "1.0", paramLabel = "Z", description = "Keep the floor by this many "
            + "standard errors of the per-query difference, so it also holds on new queries; 0 for none "
            + "(default: ${DEFAULT-VALUE}).")
    double marginSe;

    @Option(names = "--max-mean-cost", paramLabel = "USD", description = "Instead: the most accurate rule whose mean "
            + "cost per query stays within this.")
    Double maxMeanCost;

    @Option(names = "--agreement", paramLabel = "K", description = "Reactive shepherding: fix k, the agreeing samples "
            + "needed (default: calibrate it too).")
    Integer agreement;

    @Mixin
    PriceOptions prices;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(accuracyShare > 0 && accuracyShare <= 1)) {
            throw new InputException("--accuracy-share", 0, null, "must be in (0, 1] but was " + accuracyShare);
        }
        if (!(marginSe >= 0 && marginSe <= 10)) {
            throw new InputException("--margin-se", 0, null, "must be in [0, 10] but was " + marginSe);
        }
        if (maxMeanCost != null && !(maxMeanCost >= 0)) {
            throw new InputException("--max-mean-cost", 0, null, "must be >= 0 but was " + maxMeanCost);
        }
        if (agreement != null && agreement < 1) {
            throw new InputException("--agreement", 0, null, "must be >= 1 but was " + agreement);
        }
        List<PredictorUse> uses = new ArrayList<>();
        if (policy != null) {
            try {
                uses.add(PredictorUse.parse(policy));
            } catch (IllegalArgumentException e) {
                throw new InputException("--policy", 0, null, e.getMessage(), e);
            }
        }
        List<LabelRecord> records;
        try {
            records = LabelFile.read(labels);
        } catch (DataFormatException e) {
            throw new InputException(labels.toString(), 0, null, e.getMessage(), e);
        }
        CostModel costs = prices.costModel();
        PrintWriter out = spec.commandLine().getOut();
        try (OnnxHintPredictor predictor = Predictors.open(bundle)) {
            if (uses.isEmpty()) {
                uses.add(PredictorUse.ROUTING);
                uses.add(PredictorUse.PROACTIVE);
                if (predictor.hasReactiveHeads()) {
                    uses.add(PredictorUse.REACTIVE);
                }
            }
            BundleCalibration bc = predictor.calibration();
            boolean first = true;
            for (PredictorUse use : uses) {
                List<LabelRecord> forUse = use == PredictorUse.REACTIVE
                        ? records.stream().filter(LabelRecord::hasSamples).toList() : records;
                if (forUse.isEmpty()) {
                    throw new InputException(labels.toString(), 0, null, "no record has small-model samples, so "
                            + "reactive shepherding cannot be calibrated on it (label with --samples 3)");
                }
                Calibration c;
                try {
                    Calibration.Builder b = Calibration.builder().records(forUse).predictor(predictor.forUse(use))
                            .costModel(costs).use(use);
                    if (agreement != null && use == PredictorUse.REACTIVE) {
                        b.agreementGrid(agreement);
                    }
                    c = b.build();
                } catch (BundleException | IllegalArgumentException e) {
                    throw new InputException(bundle.toString(), 0, null, e.getMessage(), e);
                }
                if (first) {
                    out.println(String.format(Locale.ROOT, "on %d records of %s:", forUse.size(), labels));
                    out.println("  " + line("slm-only", c.smallOnly()));
                    out.println("  " + line("llm-only", c.largeOnly()));
                    first = false;
                }
                BundleCalibration.Entry e;
                try {
                    e = maxMeanCost != null ? c.mostAccurateWithin(maxMeanCost) : c.cheapestReaching(accuracyShare, marginSe);
                } catch (CalibrationException ex) {
                    throw new InputException("--max-mean-cost", 0, null, ex.getMessage(), ex);
                }
                bc = bc.with(use, e);
                out.println("  " + line(use.policyName(), e));
                e.assumptions().forEach(a -> out.println("    note: " + a));
            }
            predictor.bundle().writeCalibration(bc);
            out.println("wrote " + bundle.resolve(PredictorBundle.CALIBRATION) + " (applied by shepherd eval and ask "
                    + "--predictor, and by OnnxHintPredictor.load: rule(use), decisionRule())");
        }
        out.flush();
        return ShepherdCli.EXIT_OK;
    }

    private static String line(String what, CalibrationResult r) {
        return String.format(Locale.ROOT, "%-22s accuracy %.3f, mean cost $%.6f/query", what, r.accuracy(),
                r.meanCost());
    }

    /**
     * One calibrated use as printed: the whole rule (α and s as Java prints doubles, so the line names exactly the
     * rule the bundle stores and {@code OnnxHintPredictor.load(bundle).rule(use)} returns), then what it measured.
     */
    static String line(String what, BundleCalibration.Entry e) {
        return String.format(Locale.ROOT, "%-22s alpha=%s eta_hint=%d max_hint=%d hint_scale=%s%s: accuracy %.3f, "
                        + "mean cost $%.6f/query", what, e.rule().alpha(), e.rule().etaHint(), e.rule().maxHint(),
                e.rule().hintScale(), e.agreement() == null ? "" : " k=" + e.agreement(), e.accuracy(),
                e.meanCostUsd());
    }
}
