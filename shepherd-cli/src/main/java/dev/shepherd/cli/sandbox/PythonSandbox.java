package dev.shepherd.cli.sandbox;

import dev.shepherd.cli.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs untrusted Python (a model's program plus a dataset's tests) in a separate {@code python3} process, never in
 * the JVM and never in the user's working tree:
 * <ul>
 *   <li>a fresh temporary working directory, deleted afterwards ({@code HOME} and {@code TMPDIR} point into it);</li>
 *   <li>a stripped environment: only {@code PATH}, {@code HOME}, {@code TMPDIR} and {@code LANG}, so no API key
 *       or other secret of the parent process is visible; Python runs isolated ({@code -I}: no user site,
 *       no {@code PYTHON*} variables);</li>
 *   <li>resource limits set with {@code resource.setrlimit} before the program runs: address space (memory),
 *       CPU seconds, written file size, open files;</li>
 *   <li>a wall-clock timeout after which the process and its descendants are killed.</li>
 * </ul>
 * Where Linux user namespaces are available (util-linux {@code unshare}), the program also runs in its own user,
 * network, PID and mount namespaces: no network at all, the whole file system read-only except its directory,
 * no view of the parent's processes (nor their environment under {@code /proc}), and every process it starts dies
 * with it. Where they are not, a warning is logged once and only the measures above apply: containment for
 * honest mistakes, not a security boundary ({@link #isolated()} tells which).
 *
 * <p>Thread-safe: every run uses its own process and directory.
 */
public final class PythonSandbox {

    private static final Logger log = LoggerFactory.getLogger(PythonSandbox.class);
    private static final int OUTPUT_TAIL = 2000;

    private static final String LAUNCHER = String.join("\n",
            "import resource, runpy, sys",
            "mem = int(sys.argv[1]); cpu = int(sys.argv[2])",
            "resource.setrlimit(resource.RLIMIT_AS, (mem, mem))",
            "resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))",
            "resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))",
            "resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))",
            "sys.argv = ['program.py']",
            "runpy.run_path('program.py', run_name='__main__')",
            "");

    /**
     * Own user, network, PID and mount namespaces; the root file system remounted read-only with the sandbox
     * directory bound writable over itself. {@code --kill-child}: everything dies with the launcher.
     */
    private static final List<String> NAMESPACES = List.of("unshare", "--user", "--map-root-user", "--net", "--pid",
            "--fork", "--mount-proc", "--kill-child", "--mount", "sh", "-c",
            "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro / && cd \"$1\" && unset PWD OLDPWD && shift && exec \"$@\"",
            "sh");
    private static volatile Boolean namespacesWork;

    private final Path python;
    private final Duration timeout;
    private final long memoryBytes;

    private PythonSandbox(Path python, Duration timeout, long memoryBytes) {
        this.python = python;
        this.timeout = timeout;
        this.memoryBytes = memoryBytes;
    }

    /**
     * Creates a sandbox using the {@code python3} found on the {@code PATH}.
     *
     * @param timeout wall-clock limit per run, positive
     * @param memoryBytes address-space limit per run, at least 64 MiB
     * @return the sandbox
     * @throws UnavailableException when no {@code python3} is found
     */
    public static PythonSandbox create(Duration timeout, long memoryBytes) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        if (memoryBytes < (64L << 20)) {
            throw new IllegalArgumentException("memoryBytes must be at least 64 MiB but was " + memoryBytes);
        }
        Path exe = findPython().orElseThrow(() -> new UnavailableException("code evaluation",
                "no python3 on the PATH (needed to run generated programs against their tests)"));
        return new PythonSandbox(exe, timeout, memoryBytes);
    }

    /** Returns the real {@code python3} executable (resolving shims such as pyenv's), if one is on the PATH. */
    public static Optional<Path> findPython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Path exe = Path.of(out);
            return Files.isExecutable(exe) ? Optional.of(exe) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Runs a program; it passes when it exits 0 within the limits.
     *
     * @param program Python source (e.g. a candidate solution followed by asserts)
     * @return the result
     */
    public SandboxResult run(String program) {
        Objects.requireNonNull(program, "program");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("shepherd-sandbox-");
            Files.writeString(dir.resolve("program.py"), program, StandardCharsets.UTF_8);
            Path out = dir.resolve(".output");
            long cpu = Math.max(1, timeout.toSeconds() + 1);
            List<String> command = new ArrayList<>();
            if (isolated()) {
                command.addAll(NAMESPACES);
                command.add(dir.toString());
            }
            command.addAll(List.of(python.toString(), "-I", "-B", "-c", LAUNCHER,
                    Long.toString(memoryBytes), Long.toString(cpu)));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            pb.environment().put("HOME", dir.toString());
            pb.environment().put("TMPDIR", dir.toString());
            pb.environment().put("LANG", "C.UTF-8");
            Process p = pb.start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(p);
                return new SandboxResult(false, -1, true, tail(out));
            }
            int code = p.exitValue();
            return new SandboxResult(code == 0, code, false, tail(out));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run python3 in a sandbox: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a sandboxed program", e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Whether programs run in their own namespaces (no network, read-only file system outside their directory,
     * no view of other processes). Probed once per JVM.
     */
    public static boolean isolated() {
        Boolean works = namespacesWork;
        if (works == null) {
            works = probeNamespaces();
            namespacesWork = works;
            if (!works) {
                log.warn("Linux user namespaces (unshare) are unavailable: sandboxed programs run with resource "
                        + "limits and a stripped environment only, without network or file-system isolation");
            }
        }
        return works;
    }

    private static boolean probeNamespaces() {
        try {
            Path dir = Files.createTempDirectory("shepherd-sandbox-probe-");
            try {
                List<String> command = new ArrayList<>(NAMESPACES);
                command.addAll(List.of(dir.toString(), "true"));
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            } finally {
                delete(dir);
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns the wall-clock limit per run. */
    public Duration timeout() {
        return timeout;
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    private static String tail(Path out) throws IOException {
        if (!Files.exists(out)) {
            return "";
        }
        String s = Files.readString(out, StandardCharsets.UTF_8);
        return s.length() <= OUTPUT_TAIL ? s : s.substring(s.length() - OUTPUT_TAIL);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete sandbox directory {}: {}", dir, e.getMessage());
        }
    }
}
