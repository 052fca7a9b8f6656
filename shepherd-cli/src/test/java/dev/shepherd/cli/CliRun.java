package dev.shepherd.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process, capturing stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code shepherd args...}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ShepherdCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
