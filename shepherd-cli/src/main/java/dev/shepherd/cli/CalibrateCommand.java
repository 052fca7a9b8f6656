package dev.shepherd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shepherd.cli.report.AtomicFiles;
import dev.shepherd.onnx.Calibration;
import dev.shepherd.onnx.CalibrationResult;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.LabelFile;
import dev.shepherd.onnx.LabelRecord;
import dev.shepherd.onnx.OnnxHintPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shepherd calibrate}: grid-searches α and η_hint of a bundle on label records without retraining
 * (shepherd-onnx's {@link Calibration}) and stores the chosen rule beside the bundle. Not thread-safe.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, description = "Choose alpha and eta_hint of a predictor "
        + "bundle on label records (no retraining): cheapest rule reaching an accuracy floor, or most accurate under "
        + "a cost cap.")
final class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "Label JSONL (validation records).")
    Path labels;

    @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "The predictor bundle.")
    Path bundle;

    @Option(names = "--accuracy-share", defaultValue = "0.9", description = "Accuracy floor as a share of LLM-only "
            + "accuracy on the records (default: ${DEFAULT-VALUE}).")
    double accuracyShare;

    @Option(names = "--max-mean-cost", paramLabel = "USD", description = "Instead: the most accurate rule whose mean "
            + "cost per query stays within this.")
    Double maxMeanCost;

    @Mixin
    PriceOptions prices;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(accuracyShare > 0 && accuracyShare <= 1)) {
            throw new InputException("--accuracy-share", 0, null, "must be in (0, 1] but was " + accuracyShare);
        }
        if (maxMeanCost != null && !(maxMeanCost >= 0)) {
            throw new InputException("--max-mean-cost", 0, null, "must be >= 0 but was " + maxMeanCost);
        }
        List<LabelRecord> records;
        try {
            records = LabelFile.read(labels);
        } catch (DataFormatException e) {
            throw new InputException(labels.toString(), 0, null, e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (OnnxHintPredictor predictor = Predictors.open(bundle)) {
            Calibration c = Calibration.builder().records(records).predictor(predictor).costModel(prices.costModel())
                    .build();
            CalibrationResult llm = c.llmOnly();
            CalibrationResult slm = c.slmOnly();
            CalibrationResult chosen = maxMeanCost != null ? c.maximiseAccuracy(maxMeanCost)
                    : c.minimiseCost(accuracyShare * llm.accuracy());
            out.println(line("slm-only", slm));
            out.println(line("llm-only", llm));
            out.println(line("chosen", chosen));
            ObjectNode json = new ObjectMapper().createObjectNode();
            json.put("alpha", chosen.rule().alpha());
            json.put("eta_hint", chosen.rule().etaHint());
            json.put("max_hint", chosen.rule().maxHint());
            json.put("accuracy", chosen.accuracy());
            json.put("mean_cost_usd", chosen.meanCost());
            json.put("records", records.size());
            json.put("objective", maxMeanCost != null ? "max accuracy at mean cost <= " + maxMeanCost
                    : "min cost at accuracy >= " + accuracyShare + " x LLM-only");
            AtomicFiles.write(bundle.resolve(Predictors.CALIBRATION), json.toPrettyString().getBytes(StandardCharsets.UTF_8));
            out.println("wrote " + bundle.resolve(Predictors.CALIBRATION) + " (applied by shepherd eval/ask --predictor;"
                    + " heads.onnx keeps the trained rule)");
        }
        out.flush();
        return ShepherdCli.EXIT_OK;
    }

    private static String line(String what, CalibrationResult r) {
        return String.format(Locale.ROOT, "%-9s alpha=%.3f eta_hint=%d: accuracy %.3f, mean cost $%.6f/query "
                        + "(SLM %.1f %%, hint %.1f %%, LLM %.1f %%)", what, r.rule().alpha(), r.rule().etaHint(),
                r.accuracy(), r.meanCost(), 100 * r.slmShare(), 100 * r.hintShare(), 100 * r.llmShare());
    }
}
