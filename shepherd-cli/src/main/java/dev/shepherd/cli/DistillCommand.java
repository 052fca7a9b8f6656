package dev.shepherd.cli;

import dev.shepherd.onnx.EncoderFiles;
import dev.shepherd.onnx.Pooling;
import dev.shepherd.onnx.StaticEncoder;
import dev.shepherd.onnx.TextEncoder;
import dev.shepherd.onnx.training.StaticDistiller;
import dev.shepherd.onnx.training.TokenWeighting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code shepherd distill}: distills a transformer encoder into static token embeddings, the predictor's fast tier
 * (no transformer at request time); {@code shepherd train --encoder DIR} then trains a bundle over them. Not
 * thread-safe.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, description = "Distill a transformer encoder into static "
        + "token embeddings: the predictor's fast tier, no transformer at request time.",
        footer = {"", "Example:", "  shepherd distill --out encoder-static",
            "  shepherd train --trace routellm:trace.csv --encoder encoder-static --out router"})
final class DistillCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write "
            + StaticEncoder.TABLE_FILE + " and tokenizer.json.")
    Path out;

    @Option(names = "--encoder", paramLabel = "DIR", description = "Transformer directory with model.onnx and "
            + "tokenizer.json (default: all-MiniLM-L6-v2 bundled with the command line).")
    Path encoder;

    @Option(names = "--pooling", paramLabel = "MEAN|CLS", defaultValue = "MEAN", description = "Pooling of the "
            + "transformer in --encoder (default: ${DEFAULT-VALUE}).")
    Pooling pooling;

    @Option(names = "--dimensions", paramLabel = "N", defaultValue = "256", description = "PCA components kept; 0 keeps "
            + "the transformer's width (default: ${DEFAULT-VALUE}).")
    int dimensions;

    @Option(names = "--weighting", paramLabel = "NONE|ZIPF|SIF", defaultValue = "SIF", description = "Token weights "
            + "from the token's rank in the vocabulary (default: ${DEFAULT-VALUE}).")
    TokenWeighting weighting;

    @Option(names = "--quantization", paramLabel = "INT8|FLOAT16", defaultValue = "INT8", description = "Storage "
            + "(default: ${DEFAULT-VALUE}).")
    StaticDistiller.Quantization quantization;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "512", description = "Tokens per transformer "
            + "call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkParent(out, "--out");
        if (dimensions < 0) {
            throw new InputException("--dimensions", 0, null, "must be >= 0 but was " + dimensions);
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size", 0, null, "must be >= 1 but was " + batchSize);
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        long start = System.nanoTime();
        if (encoder != null && StaticEncoder.isStaticEncoderDirectory(encoder)) {
            throw new InputException("--encoder", 0, null, encoder + " holds a static encoder already; distill from a "
                    + "transformer directory (model.onnx + tokenizer.json)");
        }
        try (TextEncoder source = encoder == null ? TextEncoder.miniLm()
                : TextEncoder.builder(EncoderFiles.inDirectory(encoder)).id(encoder.getFileName().toString())
                        .pooling(pooling).build();
             StaticEncoder fast = StaticDistiller.builder(source).dimensions(dimensions).weighting(weighting)
                     .quantization(quantization).batchSize(batchSize).progress(line -> {
                         stderr.println("  " + line);
                         stderr.flush();
                     }).build().distill(out)) {
            stdout.println(String.format(Locale.ROOT, "distilled %d tokens of %s in %.0f s: %s (%.1f MB, %d x %d %s, "
                            + "%s weights) + %s", fast.vocabularySize(), source.id(), (System.nanoTime() - start) / 1e9,
                    fast.table(), Files.size(fast.table()) / 1e6, fast.vocabularySize(), fast.dimension(),
                    fast.properties().get("quantization"), fast.properties().get("weighting"),
                    StaticEncoder.TOKENIZER_FILE));
            stdout.println("train over it: shepherd train --encoder " + out + " ...");
        }
        stdout.flush();
        return ShepherdCli.EXIT_OK;
    }
}
