package dev.shepherd.cli;

import dev.shepherd.onnx.BundleException;
import dev.shepherd.onnx.DataFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * The {@code shepherd} command line: {@code eval}, {@code ask}, {@code label}, {@code train}, {@code calibrate},
 * {@code serve}, {@code distill}.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} a run-time failure (a model call, I/O),
 * {@value #EXIT_BAD_INPUT} bad input (an unknown option, a malformed file, a negative price, an unset key
 * variable), {@value #EXIT_UNAVAILABLE} a feature not available in this build. Errors are one line on stderr;
 * {@code --verbose} adds the stack trace.
 *
 * <p>Not thread-safe: one instance per invocation.
 */
@Command(name = "shepherd", mixinStandardHelpOptions = true, version = "shepherd 0.1.0-SNAPSHOT",
        description = "LLM shepherding: pay for hints, not answers. Label, train, calibrate, evaluate and replay.",
        subcommands = {EvalCommand.class, AskCommand.class, LabelCommand.class, TrainCommand.class, ConvertCommand.class,
            CalibrateCommand.class, ServeCommand.class, DistillCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Example:", "  shepherd eval --trace routellm:gsm8k_responses.csv",
            "Exit codes: 0 success; 1 a run-time failure (a model call, the network, a file",
            "  write, --max-cost reached); 2 bad input (options, files, configuration); 3 a",
            "  feature not available in this build."})
public final class ShepherdCli implements Callable<Integer> {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** A run-time failure: a model call or I/O failed. */
    public static final int EXIT_FAILURE = 1;
    /** Bad input: options, files, prices, configuration. */
    public static final int EXIT_BAD_INPUT = 2;
    /** A feature that is not available in this build. */
    public static final int EXIT_UNAVAILABLE = 3;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and debug logging.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        // slf4j-simple reads these once, at the first logger: set them before anything logs.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (!verbose) { // a warning is a line for the user: no thread or Java class names without --verbose
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
            System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
            // ask prints a fallback to the small model itself; eval and label report failed queries themselves
            System.setProperty("org.slf4j.simpleLogger.log.dev.shepherd.core.run.Shepherd", "error");
        }
        // LangChain4j logs every retried call with a stack trace: keep stderr to one line per problem.
        System.setProperty("org.slf4j.simpleLogger.log.dev.langchain4j", verbose ? "debug" : "error");
        // DJL warns about absent CUDA on every CPU-only start: noise for a command line.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl", verbose ? "debug" : "error");
        // serve --database: the pool's start and stop and Flyway's migration steps are not the user's business.
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", verbose ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", verbose ? "debug" : "warn");
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        return commandLine(null, null).execute(args);
    }

    /**
     * Creates the configured picocli command line, writing to the given streams.
     *
     * @param out standard output, or {@code null} for {@code System.out}
     * @param err standard error, or {@code null} for {@code System.err}
     * @return the command line
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ShepherdCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --weighting sif, --pooling cls
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean verbose = isVerbose(parsed);
            PrintWriter e = line.getErr();
            e.println("shepherd: error: " + message(ex));
            if (verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return exitCode(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("shepherd: error: " + ex.getMessage());
            e.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            e.flush();
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** {@code shepherd} without a verb: the usage on stderr and exit code {@value #EXIT_BAD_INPUT}. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("shepherd: error: no command given");
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return EXIT_BAD_INPUT;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof InputException || ex instanceof IllegalArgumentException
                || ex instanceof DataFormatException || ex instanceof BundleException) {
            return EXIT_BAD_INPUT;
        }
        if (ex instanceof UnavailableException) {
            return EXIT_UNAVAILABLE;
        }
        return EXIT_FAILURE;
    }

    private static String message(Throwable ex) {
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            return ex.getMessage();
        }
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    private static boolean isVerbose(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p != null) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }
}
