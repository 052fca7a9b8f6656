package dev.shepherd.cli;

import dev.shepherd.onnx.PredictorBundle;
import dev.shepherd.onnx.PredictorBundle.TrainingManifest;
import dev.shepherd.cli.eval.TokenCounter;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.onnx.RouterMetadata;
import dev.shepherd.onnx.QueryEncoder;
import dev.shepherd.onnx.training.RouterTrainer;
import dev.shepherd.onnx.training.TrainedRouter;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceRecord;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code shepherd train --trace jsonl:FILE}: trains the N-way router (shepherd-onnx {@link RouterTrainer}) on a trace
 * of several models over the {@code --encoder} (a transformer, or the static tier), writes the bundle
 * ({@code router.onnx}, {@code encoder/}) and the manifest of the queries trained on, and prints each head and the
 * calibrated operating point. Stateless.
 */
final class RouterTraining {

    private RouterTraining() {
    }

    static void train(Trace trace, String what, QueryEncoder encoder, long seed, TokenCounter tokens,
                      PriceOptions priceOptions, Path out, PrintWriter stdout) {
        if (trace.models().size() < 2) {
            throw new InputException(trace.source(), 0, null, "a router needs at least two models but the trace has "
                    + trace.models());
        }
        Map<String, TokenPrices> prices = prices(trace, priceOptions);
        Trace.Counted counted = trace.countMissingTokens(tokens::count);
        TrainedRouter router;
        try {
            router = RouterTrainer.builder(encoder).seed(seed).build().train(counted.trace(), prices);
        } catch (IllegalArgumentException e) {
            throw new InputException(trace.source(), 0, null, e.getMessage(), e);
        }
        router.export(out);
        TrainingManifest manifest = TrainingManifest.of(trace.source() + what,
                "each model's recorded quality (correct 1/0 or score)",
                trace.records().stream().map(TraceRecord::query).toList());
        PredictorBundle.at(out).writeTrainingManifest(manifest);
        RouterMetadata meta = router.metadata();
        stdout.println("N-way router over " + meta.models().size() + " models, trained on " + trace.size()
                + " queries of " + trace.source() + what);
        if (counted.anyCounted()) {
            stdout.println("token counts the trace lacks were counted with " + tokens.name() + ": "
                    + counted.counted());
        }
        int width = Math.max(5, meta.models().stream().mapToInt(String::length).max().orElse(5));
        stdout.println(String.format(Locale.ROOT, "  %-" + width + "s  %9s  %-22s %8s  %s", "model", "accuracy",
                "head (by 5-fold CV)", "OOF AUC", "OOF log-loss (constant)"));
        for (RouterMetadata.Head h : meta.heads()) {
            stdout.println(String.format(Locale.ROOT, "  %-" + width + "s  %7.1f %%  %-22s %8s  %.3f (%.3f)", h.model(),
                    100 * h.accuracy(), h.candidate(), Double.isNaN(h.outOfFoldAuc()) ? "-"
                            : String.format(Locale.ROOT, "%.3f", h.outOfFoldAuc()), h.outOfFoldLogLoss(),
                    h.constantLogLoss()));
        }
        TrainedRouter.Calibration c = router.calibration();
        List<String> shares = new ArrayList<>();
        c.shares().forEach((m, s) -> shares.add(String.format(Locale.ROOT, "%s %.0f %%", m, 100 * s)));
        stdout.println(String.format(Locale.ROOT, "calibrated lambda %.4g on the out-of-fold probabilities of the %d "
                        + "training queries: accuracy %.1f %% %s %.1f %% (%.0f %% of the most expensive model's %.1f %%) "
                        + "at $%.4f; calls: %s", c.lambda(), c.queries(), 100 * c.accuracy(), c.reached() ? ">=" : "<",
                100 * c.target(), 100 * meta.targetShare(), 100 * c.referenceAccuracy(), c.costUsd(),
                String.join(", ", shares)));
        stdout.println("wrote router bundle " + out + " (" + PredictorBundle.ROUTER + ", encoder/, " + PredictorBundle.TRAINING
                + ": the " + manifest.trainedOnPromptSha256().size() + " queries trained on, so eval can flag in-sample queries)");
    }

    /** Every model's prices: --price / config, else, with two models, the SLM and LLM prices. */
    private static Map<String, TokenPrices> prices(Trace trace, PriceOptions options) {
        Map<String, PriceOptions.ModelPrice> explicit = options.modelPrices(new Properties(), "config");
        CostModel pair = options.costModel();
        Map<String, TokenPrices> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < trace.models().size(); j++) {
            String m = trace.models().get(j);
            if (explicit.containsKey(m)) {
                out.put(m, explicit.get(m).prices());
            } else if (trace.models().size() == 2) {
                out.put(m, pair.prices(j == 0 ? ModelRole.SMALL : ModelRole.LARGE));
            } else {
                missing.add(m);
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException("--price", 0, null, "no prices for " + missing + ": a trace of "
                    + trace.models().size() + " models needs --price MODEL=IN:OUT (USD per million input and output "
                    + "tokens) for each; the router's operating point is calibrated at those prices");
        }
        return out;
    }
}
