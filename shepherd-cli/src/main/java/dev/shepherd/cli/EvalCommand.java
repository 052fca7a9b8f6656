package dev.shepherd.cli;

import dev.shepherd.cli.dataset.Dataset;
import dev.shepherd.cli.dataset.DatasetFormat;
import dev.shepherd.cli.dataset.DatasetReader;
import dev.shepherd.cli.eval.EvalReport;
import dev.shepherd.cli.eval.ReplayEvaluator;
import dev.shepherd.cli.eval.RoutingScores;
import dev.shepherd.cli.eval.TokenCounter;
import dev.shepherd.cli.eval.Judge;
import dev.shepherd.cli.live.Budget;
import dev.shepherd.cli.live.LiveEvaluator;
import dev.shepherd.cli.live.PolicyPredictors;
import dev.shepherd.cli.eval.LabelReplayEvaluator;
import dev.shepherd.cli.live.ModelSetup;
import dev.shepherd.cli.live.Models;
import dev.shepherd.cli.live.Policies;
import dev.shepherd.onnx.DataFormatException;
import dev.shepherd.onnx.training.LabelFile;
import dev.shepherd.onnx.training.LabelRecord;
import dev.shepherd.cli.progress.ProgressOptions;
import dev.shepherd.cli.sandbox.PythonSandbox;
import dev.shepherd.onnx.OnnxHintPredictor;
import dev.shepherd.cli.live.ModelOptions;
import dev.shepherd.cli.report.JsonReportWriter;
import dev.shepherd.cli.report.ReportWriter;
import dev.shepherd.cli.report.TableFormatter;
import dev.shepherd.trace.Trace;
import dev.shepherd.cli.trace.TraceSource;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import com.sun.management.OperatingSystemMXBean;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shepherd eval}: replays a recorded trace, or runs strategies live on a dataset, and prints the paper-style
 * table; optionally writes JSON and a report directory. Not thread-safe.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate strategies on a recorded trace (exactly) or on a dataset (live) and print the table.",
        footer = {"", "Example:", "  shepherd eval --trace routellm:gsm8k_responses.csv --json out.json",
            "  shepherd eval --trace jsonl:trace.jsonl --price small=0.1:0.4 --price large=2.5:10 --predictor router/ "
                    + "--split test"})
final class EvalCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input;

    static final class Input {
        @Option(names = "--trace", paramLabel = "FORMAT:FILE|URL",
                description = "Replay a recorded trace: jsonl:FILE (docs/trace-format.md; any number of models; a "
                        + "shepherd label file too) or routellm:FILE (RouteLLM's response CSV); local path or https URL "
                        + "(cached).")
        String trace;

        @Option(names = "--dataset", paramLabel = "[FORMAT:]FILE",
                description = "Run strategies live on a dataset (gsm8k, humaneval, mbpp, jsonl).")
        String dataset;
    }

    @Option(names = "--format", paramLabel = "FORMAT", description = "Dataset format: gsm8k, humaneval, mbpp, jsonl "
            + "(default: from the file name or the first record).")
    String format;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the numbers as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.md, report.html and the plot (PNG, SVG).")
    Path report;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where downloaded traces are cached "
            + "(default: ~/.cache/shepherd).")
    Path cacheDir;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "cl100k_base", description = "Tokenizer for recorded text "
            + "(default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--random-share", paramLabel = "SHARE", defaultValue = "0.5", description = "LLM-call share of "
            + "random-routing on a two-model trace when no --predictor gives one (default: ${DEFAULT-VALUE}).")
    double randomShare;

    @Mixin
    SplitOptions split;

    @Option(names = "--predictor", paramLabel = "BUNDLE", description = "A predictor bundle (shepherd train) for the "
            + "routing strategy (and, live, proactive- and reactive-shepherding).")
    Path predictor;

    @Option(names = "--labels", paramLabel = "FILE", description = "n* label JSONL (shepherd label): with --dataset: "
            + "oracle strategies; alone: replay.")
    Path labels;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N queries, N >= 1 (default: all).")
    Integer limit;

    @Mixin
    ModelOptions models;

    @Option(names = "--strategies", paramLabel = "NAME[,NAME...]", description = "Live mode: strategies to run "
            + "besides slm-only, llm-only, oracle-routing and random-routing (always reported; routing too with "
            + "--predictor): fixed-hint, agreement-cascade, confidence-cascade, slm-initiated-help, "
            + "proactive-shepherding, reactive-shepherding (these two and routing need --predictor), "
            + "oracle-shepherding (needs --labels). Default: fixed-hint,agreement-cascade, plus proactive- and "
            + "reactive-shepherding with --predictor and oracle-shepherding with --labels.")
    String strategies;

    @Option(names = "--hint-tokens", paramLabel = "N", defaultValue = "32", description = "Live mode: hint size of fixed-hint "
            + "(default: ${DEFAULT-VALUE}).")
    int hintTokens;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "3", description = "Live mode: K SLM samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--agreement", paramLabel = "K", defaultValue = "3", description = "k agreeing samples of the "
            + "agreement cascade, live and in trace replay (default: ${DEFAULT-VALUE}).")
    int agreement;

    @Option(names = "--confidence-threshold", paramLabel = "P", defaultValue = "0.8", description = "Confidence-cascade "
            + "threshold: live, the LLM is asked below this stated SLM confidence; in trace replay, a tier below this "
            + "recorded confidence escalates (default: ${DEFAULT-VALUE}).")
    double confidenceThreshold;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "Live mode: queries in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Mixin
    ProgressOptions progress; // live mode
    @Option(names = "--max-cost", paramLabel = "USD", description = "Live mode: stop before a model call could take "
            + "the run's cost past USD dollars (each call's worst case: its prompt-token bound and output cap at the "
            + "configured prices); the run then fails (exit 1). Default: no limit.")
    Double maxCost;


    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(randomShare >= 0 && randomShare <= 1)) {
            throw new InputException("--random-share", 0, null, "must be in [0, 1] but was " + randomShare);
        }
        Counts.checkLimit(limit);
        OutputPaths.checkParent(json, "--json");
        OutputPaths.checkParent(report, "--report");
        if (split.given() && (input == null || input.trace == null)) {
            throw new InputException("--split", 0, null, "applies to trace replay (--trace)");
        }
        if (maxCost != null && (input == null || input.dataset == null)) {
            throw new InputException("--max-cost", 0, null, "applies to live evaluation (--dataset); a replay makes no "
                    + "model call");
        }
        EvalReport result;
        if (input != null && input.trace != null) {
            if (labels != null) {
                throw new InputException("--labels", 0, null, "applies with --dataset (oracle strategies) or alone "
                        + "(replay), not with --trace");
            }
            result = replay();
        } else if (input != null && input.dataset != null) {
            result = live();
        } else if (labels != null) {
            result = replayLabels();
        } else {
            throw new InputException("eval", 0, null, "give --trace jsonl:FILE|routellm:FILE, --dataset [FORMAT:]FILE "
                    + "or --labels FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(TableFormatter.format(result));
        if (json != null) {
            JsonReportWriter.write(result, json);
            out.println("\nwrote " + json);
        }
        if (report != null) {
            ReportWriter.write(result, report);
            out.println((json == null ? "\n" : "") + "wrote " + report.resolve("report.md") + ", report.html, "
                    + "cost_vs_accuracy.png, cost_vs_accuracy.svg");
        }
        out.flush();
        return ShepherdCli.EXIT_OK;
    }

    /** CPU time of the whole process (every thread, ONNX Runtime's included), or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private EvalReport replay() {
        Properties config = models.load();
        String configName = models.configName();
        var costModel = models.prices().costModel(config, configName);
        var explicit = models.prices().modelPrices(config, configName);
        TokenCounter counter = TokenCounter.of(tokenizer);
        long start = System.nanoTime();
        Trace trace = split.apply(TraceSource.withCache(cacheDir).read(input.trace));
        if (limit != null) {
            trace = trace.limit(limit);
        }
        if (trace.size() == 0) {
            throw new InputException(input.trace, 0, null, "no queries to replay" + (split.given()
                    ? " in the " + split.describe() : ""));
        }
        ReplayEvaluator.Builder b = ReplayEvaluator.builder(counter).randomShare(randomShare)
                .agreement(Math.max(1, agreement)).confidenceThreshold(confidenceThreshold);
        boolean fallback = false;
        for (String m : trace.models()) {
            var p = explicit.get(m);
            if (p != null) {
                b.price(m, p.prices(), p.from());
            } else {
                fallback = true;
            }
        }
        if (fallback && trace.models().size() != 2) {
            List<String> missing = trace.models().stream().filter(m -> !explicit.containsKey(m)).toList();
            throw new InputException("--price", 0, null, "no prices for " + missing + ": a trace of "
                    + trace.models().size() + " models needs --price MODEL=IN:OUT (USD per million input and output "
                    + "tokens) for each, e.g. --price " + missing.get(0) + "=0.2:0.6");
        }
        long scoring = System.nanoTime();
        long scoringCpu = processCpuNanos();
        Predictors.Routers routers = predictor == null ? Predictors.Routers.NONE
                : Predictors.routers(predictor, trace, counter);
        scoring = System.nanoTime() - scoring;
        scoringCpu = processCpuNanos() - scoringCpu;
        EvalReport r;
        try {
            r = b.build(costModel).evaluate(trace, routers.binary(), routers.nWay());
        } catch (IllegalArgumentException e) {
            throw new InputException(input.trace, 0, null, e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>(r.notes());
        if (split.given()) {
            notes.add(0, "replayed the " + split.describe() + ": " + trace.size() + " queries");
        }
        if (fallback && models.prices().paperDefaults(config)) {
            notes.add("LLM prices are the paper's defaults ($0.59 / $0.79 per M tokens, Llama-3.3-70B), not the "
                    + "recorded strong model's; SLM prices default to 0 (local). Change with --llm-price-in/-out "
                    + "or --price MODEL=IN:OUT.");
        }
        if (predictor != null) {
            int overlap = Predictors.trainedOverlap(predictor, trace);
            if (overlap > 0) {
                notes.add("routing is IN-SAMPLE on " + overlap + " of " + trace.size() + " queries: the router in "
                        + predictor + " was trained on them, so its numbers are optimistic");
            }
        }
        notes.add(String.format(Locale.ROOT, "replay took %.2f s (read, tokenize, every strategy)%s",
                (System.nanoTime() - start) / 1e9, predictor == null ? "" : String.format(Locale.ROOT,
                        ", of which %.2f s scoring the %d queries with the router (load + batched predictions; "
                                + "%.2f s process CPU)", scoring / 1e9, trace.size(), scoringCpu / 1e9)));
        return r.withNotes(notes);
    }

    /** {@code eval --labels FILE} without {@code --dataset}: every strategy replayed exactly from the records. */
    private EvalReport replayLabels() {
        List<LabelRecord> records = readLabels(labels);
        if (limit != null && limit < records.size()) {
            records = records.subList(0, limit);
        }
        if (records.isEmpty()) {
            throw new InputException(labels.toString(), 0, null, "holds no label records");
        }
        Properties config = models.load();
        var costModel = models.prices().costModel(config, "config");
        OnnxHintPredictor p = predictor == null ? null : Predictors.open(predictor);
        try {
            LabelReplayEvaluator.Bundle bundle = p == null ? null : Predictors.replayBundle(predictor, p,
                    explicitAgreement() ? agreement : null);
            return new LabelReplayEvaluator(costModel).evaluate(labels.toString(), records, bundle, hintTokens,
                    agreement);
        } finally {
            if (p != null) {
                p.close();
            }
        }
    }

    private EvalReport live() {
        if (concurrency < 1) {
            throw new InputException("--concurrency", 0, null, "must be >= 1 but was " + concurrency);
        }
        List<String> names = null;
        if (strategies != null) {
            names = new ArrayList<>();
            for (String s : strategies.split(",")) {
                if (!s.isBlank()) {
                    names.add(s.strip());
                }
            }
            // Names first: a typo or a missing --predictor/--labels fails before anything is read or called.
            Policies.check(names, predictor != null, labels != null, "--strategies");
        }
        Dataset data = DatasetReader.read(input.dataset, format == null ? null : DatasetFormat.parse(format)).limit(limit == null ? 0 : limit);
        LiveEvaluator.OracleLabels oracleLabels = labels == null ? null : oracleLabels(readLabels(labels));
        ModelSetup setup = models.resolve();
        setup.checkKeys();
        Budget budget = Budget.option(maxCost, setup.prices());
        LiveEvaluator.PolicyKnobs knobs = new LiveEvaluator.PolicyKnobs(hintTokens, samples, agreement,
                confidenceThreshold);
        List<String> planned = new ArrayList<>(Policies.ALWAYS);
        planned.addAll(names != null ? names : Policies.defaults(predictor != null, labels != null));
        spec.commandLine().getErr().println(Budget.statement(LiveEvaluator.worstCaseUsd(data.examples(),
                new ArrayList<>(new LinkedHashSet<>(planned)), knobs, setup), data.size(), "queries", budget));
        spec.commandLine().getErr().flush();
        Judge judge = new Judge(() -> PythonSandbox.create(Duration.ofSeconds(10), 512L << 20));
        OnnxHintPredictor p = predictor == null ? null : Predictors.open(predictor);
        try (Models m = Models.open(setup, spec.commandLine().getErr(), budget)) {
            PolicyPredictors predictors = p == null ? null
                    : Predictors.policyPredictors(predictor, p, !explicitAgreement());
            return new LiveEvaluator(m, judge, concurrency, progress.target(spec.commandLine().getErr()))
                    .evaluate(data, names, knobs, predictors, oracleLabels);
        } finally {
            if (p != null) {
                p.close();
            }
        }
    }

    private boolean explicitAgreement() {
        return spec.commandLine().getParseResult().hasMatchedOption("--agreement");
    }

    private static List<LabelRecord> readLabels(Path file) {
        try {
            return LabelFile.read(file);
        } catch (DataFormatException e) {
            throw new InputException(file.toString(), 0, null, e.getMessage(), e);
        }
    }

    /** n* per query id, and the ids no hint level helped, from label records. */
    private static LiveEvaluator.OracleLabels oracleLabels(List<LabelRecord> records) {
        Map<String, Integer> nStar = new HashMap<>();
        Set<String> full = new HashSet<>();
        for (LabelRecord r : records) {
            nStar.put(r.id(), r.nStar());
            if (r.nStarPercent() >= 100) {
                full.add(r.id());
            }
        }
        return new LiveEvaluator.OracleLabels(nStar, full);
    }
}
