package dev.shepherd.cli;

import dev.shepherd.cli.report.AtomicFiles;
import dev.shepherd.cli.trace.TraceSource;
import dev.shepherd.trace.Trace;
import dev.shepherd.trace.TraceJsonl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code shepherd convert}: reads a trace in any format {@code --trace} accepts and writes it in the JSONL trace
 * format (docs/trace-format.md), one query per line, atomically. Nothing is added: token counts the source lacks stay
 * absent (replay counts them and says so). Not thread-safe.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a trace (RouteLLM's response CSV, a shepherd label file) to the JSONL trace format.",
        footer = {"", "Example:", "  shepherd convert --trace routellm:gsm8k_responses.csv --out gsm8k.jsonl"})
final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--trace", required = true, paramLabel = "FORMAT:FILE|URL", description = "routellm:FILE "
            + "(RouteLLM's response CSV) or jsonl:FILE (a trace or a shepherd label file); local path or https URL.")
    String trace;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSONL file to write.")
    Path out;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where downloaded traces are cached "
            + "(default: ~/.cache/shepherd).")
    Path cacheDir;

    @Option(names = "--limit", paramLabel = "N", description = "Convert only the first N queries, N >= 1 (default: all).")
    Integer limit;

    @Mixin
    SplitOptions split;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Counts.checkLimit(limit);
        OutputPaths.checkParent(out, "--out");
        Trace t = split.apply(TraceSource.withCache(cacheDir).read(trace));
        if (limit != null) {
            t = t.limit(limit);
        }
        StringWriter text = new StringWriter();
        try {
            TraceJsonl.write(text, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(out, text.toString().getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().println("wrote " + out + ": " + t.size() + " queries, models " + t.models()
                + (split.given() ? " (" + split.describe() + ")" : ""));
        spec.commandLine().getOut().flush();
        return ShepherdCli.EXIT_OK;
    }
}
