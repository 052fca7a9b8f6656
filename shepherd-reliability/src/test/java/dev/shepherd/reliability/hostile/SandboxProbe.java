package dev.shepherd.reliability.hostile;

import dev.shepherd.cli.sandbox.PythonSandbox;
import dev.shepherd.cli.sandbox.SandboxResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs one program in the {@link PythonSandbox} of a fresh JVM (which the test starts with a canary secret in
 * its environment) and prints the result: {@code passed=..} on the first line, then the program's output.
 */
public final class SandboxProbe {

    private SandboxProbe() {
    }

    /** {@code SandboxProbe PROGRAM_FILE}. */
    public static void main(String[] args) throws Exception {
        String program = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        SandboxResult r = PythonSandbox.create(Duration.ofSeconds(5), 256L << 20).run(program);
        System.out.println("passed=" + r.passed() + " exit=" + r.exitCode() + " timedOut=" + r.timedOut());
        System.out.println(r.output());
        System.out.flush();
        System.exit(0);
    }
}
