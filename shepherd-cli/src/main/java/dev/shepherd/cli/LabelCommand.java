package dev.shepherd.cli;

import dev.shepherd.cli.dataset.Dataset;
import dev.shepherd.cli.dataset.DatasetFormat;
import dev.shepherd.cli.dataset.DatasetReader;
import dev.shepherd.cli.eval.Judge;
import dev.shepherd.cli.label.LabelFileWriter;
import dev.shepherd.cli.label.LabelRun;
import dev.shepherd.cli.label.LabelSettings;
import dev.shepherd.cli.label.LabelSummary;
import dev.shepherd.cli.label.Labeler;
import dev.shepherd.cli.dataset.Example;
import dev.shepherd.cli.live.Budget;
import dev.shepherd.cli.live.ModelOptions;
import dev.shepherd.cli.live.ModelSetup;
import dev.shepherd.cli.live.Models;
import dev.shepherd.cli.progress.ProgressOptions;
import dev.shepherd.cli.sandbox.PythonSandbox;
import dev.shepherd.core.ShepherdException;
import dev.shepherd.core.model.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shepherd label}: the paper's n* labeling over a dataset, resumable, with bounded concurrency. Not
 * thread-safe.
 */
@Command(name = "label", mixinStandardHelpOptions = true, description = "Label a dataset with n* (the minimal hint "
        + "size): one full LLM answer at T=0, hints at 0,10,...,90 %%, the SLM's answer per hint, then K SLM samples of the "
        + "bare query with their reactive features. Resumable.",
        footer = {"", "Example:", "  shepherd label --dataset gsm8k_train.jsonl --out labels.jsonl --limit 100 --max-cost 1 \\",
            "      --config models.properties"})
final class LabelCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true, paramLabel = "[FORMAT:]FILE", description = "The dataset.")
    String dataset;

    @Option(names = "--format", paramLabel = "FORMAT", description = "gsm8k, humaneval, mbpp, jsonl (default: detect).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Label JSONL (appended; rerun to resume).")
    Path out;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "Queries in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--limit", paramLabel = "N", description = "Label only the first N queries, N >= 1 (default: all).")
    Integer limit;

    @Option(names = "--max-cost", paramLabel = "USD", description = "Stop before a model call could take the run's "
            + "cost past USD dollars (each call's worst case: its prompt-token bound and output cap at the configured "
            + "prices); labelled records are kept, a rerun resumes. Default: no limit.")
    Double maxCost;

    @Option(names = "--tau", paramLabel = "TAU", defaultValue = "1.0", description = "Quality threshold τ (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--all-levels", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Record every level 0..90 %% (\"all_levels\": true; the default), so calibration and replay "
            + "see what each hint size really did. --no-all-levels stops at the first passing level: cheaper, but "
            + "replay must then assume that longer hints never hurt, which flatters hints (n* is the luckiest "
            + "of noisy tries).")
    boolean allLevels;

    @Option(names = "--samples", defaultValue = "3", paramLabel = "K", description = "SLM samples of the bare query "
            + "per record, at T=0.3, top_p 0.95 (reactive shepherding's; written with their mean_entropy and "
            + "mean_output_length features); 0 = none (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--slm-temperature", paramLabel = "T", defaultValue = "0.3", description = "SLM temperature of the level answers "
            + "(default: ${DEFAULT-VALUE}, the paper's; top_p 0.95). The --samples always use the paper's T=0.3.")
    double smallTemperature;

    @Option(names = "--max-failures", paramLabel = "N", defaultValue = "10", description = "Stop starting queries after this many "
            + "failed (default: ${DEFAULT-VALUE}).")
    int maxFailures;

    @Option(names = "--code-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "Wall-clock limit per "
            + "sandboxed program (default: ${DEFAULT-VALUE}).")
    int codeTimeout;

    @Option(names = "--code-memory-mb", paramLabel = "MB", defaultValue = "512", description = "Memory limit per sandboxed program "
            + "(default: ${DEFAULT-VALUE}).")
    int codeMemoryMb;

    @Mixin
    ProgressOptions progress;

    @Mixin
    ModelOptions models;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (concurrency < 1) {
            throw new InputException("--concurrency", 0, null, "must be >= 1 but was " + concurrency);
        }
        if (!(tau > 0 && tau <= 1)) {
            throw new InputException("--tau", 0, null, "must be in (0, 1] but was " + tau);
        }
        if (samples < 0) {
            throw new InputException("--samples", 0, null, "must be >= 0 but was " + samples);
        }
        Counts.checkLimit(limit);
        OutputPaths.checkParent(out, "--out");
        Dataset data = DatasetReader.read(dataset, format == null ? null : DatasetFormat.parse(format))
                .limit(limit == null ? 0 : limit);
        ModelSetup setup = models.resolve();
        setup.checkKeys();
        Budget budget = Budget.option(maxCost, setup.prices());
        LabelSettings settings = new LabelSettings(tau, LabelSettings.PAPER_LEVELS, !allLevels,
                new Sampling(smallTemperature, Sampling.PAPER.topP()), samples, Sampling.PAPER);
        Judge judge = new Judge(() -> PythonSandbox.create(Duration.ofSeconds(codeTimeout), (long) codeMemoryMb << 20));
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try (LabelFileWriter writer = LabelFileWriter.open(out)) {
            List<Example> todo = data.examples().stream().filter(e -> !writer.contains(e.id())).toList();
            stderr.println(Budget.statement(Labeler.worstCaseUsd(todo, settings, setup), todo.size(), "queries",
                    budget));
            stderr.flush();
            if (writer.tornBytes() > 0) {
                stderr.println("note: cut off a torn last line (" + writer.tornBytes()
                        + " bytes) left in " + out + " by an interrupted run");
            }
            label(setup, budget, settings, judge, data, writer, stdout);
        }
        return ShepherdCli.EXIT_OK;
    }

    private void label(ModelSetup setup, Budget budget, LabelSettings settings, Judge judge, Dataset data,
                       LabelFileWriter writer, PrintWriter stdout) {
        try (Models m = Models.open(setup, spec.commandLine().getErr(), budget)) {
            Labeler labeler = new Labeler(m.small(), m.large(), setup.prices(), judge, settings);
            LabelRun run = new LabelRun(labeler, concurrency, progress.target(spec.commandLine().getErr()),
                    maxFailures);
            LabelSummary s = run.run(data, writer);
            stdout.println(String.format(Locale.ROOT, "labeled %d queries of %s into %s (%d already there, %d failed) "
                            + "in %.1f s: %d model calls (%.2f calls/s at concurrency %d), cost $%.6f",
                    s.written(), data.name(), out, s.skipped(), s.failed(), s.seconds(), s.calls(), s.callsPerSecond(),
                    concurrency, s.costUsd()));
            stdout.flush();
            if (run.stoppedBy() != null) {
                throw new ShepherdException(run.stoppedBy() + "; " + (data.size() - s.skipped() - s.written())
                        + " queries left unlabelled: rerun with a higher --max-cost to continue");
            }
            if (s.failed() > 0) {
                throw new ShepherdException(s.failed() + " queries failed (first: " + s.firstError()
                        + "); rerun the same command to retry them");
            }
        }
    }
}
