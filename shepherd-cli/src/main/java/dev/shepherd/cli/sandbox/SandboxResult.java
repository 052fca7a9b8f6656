package dev.shepherd.cli.sandbox;

/**
 * The outcome of running a program in the {@link PythonSandbox}.
 *
 * @param passed true when the program exited 0 within the time limit
 * @param exitCode the process exit code (-1 when killed on timeout)
 * @param timedOut true when the wall-clock limit killed it
 * @param output the tail of stdout and stderr, for diagnostics
 */
public record SandboxResult(boolean passed, int exitCode, boolean timedOut, String output) {
}
