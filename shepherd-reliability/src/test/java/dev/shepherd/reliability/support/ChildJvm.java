package dev.shepherd.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a main class of the test class path in a separate JVM, with stdout and stderr captured in files, so
 * a test can kill it or give it environment variables the test JVM does not have. Not thread-safe.
 */
public final class ChildJvm {

    private final Process process;
    private final Path out;
    private final Path err;

    private ChildJvm(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code mainClass args...}.
     *
     * @param dir  where the captured output goes (and the child's working directory)
     * @param env  extra environment variables
     */
    public static ChildJvm start(Path dir, Map<String, String> env, String mainClass, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        try {
            Path out = Files.createTempFile(dir, "child-", ".out");
            Path err = Files.createTempFile(dir, "child-", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            return new ChildJvm(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        }
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** Waits up to {@code max}; kills the child (by its id) when it is still running then. */
    public int waitFor(Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child JVM did not finish within " + max + "; stderr: " + err());
        }
        return process.exitValue();
    }

    /** Kills the child at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Captured stdout. */
    public String out() {
        return read(out);
    }

    /** Captured stderr. */
    public String err() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e.getMessage() + ">";
        }
    }
}
