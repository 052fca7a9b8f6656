package dev.shepherd.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shepherd.cli.sandbox.PythonSandbox;
import dev.shepherd.cli.sandbox.SandboxResult;
import dev.shepherd.reliability.support.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile model-generated programs in shepherd-cli's {@link PythonSandbox}: each must be stopped or confined,
 * reported as failed, and leave the JVM and the working tree untouched. Skipped without {@code python3}.
 *
 * <p>The tests marked "isolation" need the sandbox's namespace isolation ({@link PythonSandbox#isolated()}: Linux
 * user namespaces through {@code unshare}); where the machine has none they are skipped with that reason, since
 * the sandbox then documents that it does not confine network, file-system writes or daemons.
 */
class SandboxHostileIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern PID = Pattern.compile("PID (\\d+)");

    @TempDir
    Path worktree;

    static PythonSandbox sandbox;

    @BeforeAll
    static void python() {
        assumeTrue(PythonSandbox.findPython().isPresent(), "python3 is not on the PATH: sandbox tests skipped");
        sandbox = PythonSandbox.create(TIMEOUT, 256L << 20);
    }

    @Test
    void should_stop_an_infinite_loop_at_the_timeout() {
        // when
        long t0 = System.nanoTime();
        SandboxResult r = sandbox.run("while True:\n    pass\n");
        // then
        assertThat(r.passed()).isFalse();
        assertThat(r.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.plusSeconds(10));
    }

    @Test
    void should_fail_a_10_gb_allocation_without_touching_the_jvm() {
        // given
        long heapBefore = Runtime.getRuntime().totalMemory();
        // when
        SandboxResult r = sandbox.run("x = bytearray(10 * 1024 ** 3)\nprint('allocated', len(x))\n");
        // then
        assertThat(r.passed()).isFalse();
        assertThat(r.output()).contains("MemoryError").doesNotContain("allocated");
        assertThat(Runtime.getRuntime().totalMemory()).isLessThanOrEqualTo(Math.max(heapBefore,
                Runtime.getRuntime().maxMemory()));
    }

    @Test
    void should_kill_every_process_of_a_fork_bomb() throws Exception {
        // given: a (bounded) fork bomb: a binary tree of 63 processes that never end, each printing its pid
        String program = String.join("\n",
                "import os, sys, time",
                "for level in range(5):",
                "    if os.fork() == 0:",
                "        continue",
                "    if os.fork() == 0:",
                "        continue",
                "    break",
                "print('PID', os.getpid(), flush=True)",
                "end = time.time() + 30",
                "while time.time() < end:",
                "    time.sleep(0.05)",
                "");
        Instant started = Instant.now();
        // when
        SandboxResult r = sandbox.run(program);
        // then
        assertThat(r.passed()).isFalse();
        assertThat(r.timedOut()).isTrue();
        List<Long> pids = pids(r.output());
        assertThat(pids).isNotEmpty();
        assertThat(survivors(pids, started)).as("processes of the program still running after run() returned")
                .isEmpty();
    }

    @Test
    void should_keep_the_parents_environment_from_the_program() throws Exception {
        // given: a canary secret in the environment of the JVM that runs the sandbox
        String canary = "sk-canary-" + UUID.randomUUID().toString().replace("-", "");
        Path program = worktree.resolve("env.py");
        Files.writeString(program, "import os\nprint('ENV', dict(os.environ))\n");
        // when
        ChildJvm jvm = ChildJvm.start(worktree, Map.of("OPENAI_API_KEY", canary), SandboxProbe.class.getName(),
                List.of(program.toString()));
        int code = jvm.waitFor(Duration.ofSeconds(60));
        // then
        assertThat(code).as(jvm.err()).isZero();
        assertThat(jvm.out()).contains("ENV {").doesNotContain(canary).doesNotContain("OPENAI_API_KEY");
    }

    @Test // isolation
    void should_keep_the_parents_environment_from_a_program_reading_proc() throws Exception {
        assumeTrue(PythonSandbox.isolated(), "no user namespaces (unshare) here: the sandbox does not isolate");
        // given: the program reads its parent's (the JVM's) environment through /proc
        String canary = "sk-canary-" + UUID.randomUUID().toString().replace("-", "");
        Path program = worktree.resolve("proc.py");
        Files.writeString(program, String.join("\n",
                "import os",
                "for p in ('/proc/%d/environ' % os.getppid(), '/proc/1/environ'):",
                "    try:",
                "        print('PROC', p, open(p, 'rb').read().replace(b'\\0', b' ').decode(errors='replace'))",
                "    except Exception as e:",
                "        print('DENIED', p, e)",
                ""));
        // when
        ChildJvm jvm = ChildJvm.start(worktree, Map.of("OPENAI_API_KEY", canary), SandboxProbe.class.getName(),
                List.of(program.toString()));
        int code = jvm.waitFor(Duration.ofSeconds(60));
        // then
        assertThat(code).as(jvm.err()).isZero();
        // a boolean, so that a failure does not print the JVM's whole environment into the test report
        assertThat(jvm.out().contains(canary)).as("the sandboxed program read the JVM's environment (%s)",
                jvm.out().contains("PROC /proc/") ? "/proc/<ppid>/environ was readable" : "?").isFalse();
    }

    @Test
    void should_leave_the_working_tree_untouched_by_writes_inside_the_sandbox() throws IOException {
        // given
        Files.writeString(worktree.resolve("Main.java"), "class Main {}\n");
        String before = snapshot(worktree);
        // when: the program writes as much as it likes into its own directory and HOME
        SandboxResult r = sandbox.run(String.join("\n",
                "import os",
                "open('junk.txt', 'w').write('x' * 1000)",
                "open(os.path.expanduser('~/.bashrc'), 'a').write('echo pwned')",
                "os.makedirs('deep/er', exist_ok=True)",
                ""));
        // then
        assertThat(r.passed()).isTrue();
        assertThat(snapshot(worktree)).isEqualTo(before);
        assertThat(Path.of(System.getProperty("user.home"), ".bashrc")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(),
                p -> assertThat(Files.readString(p)).doesNotContain("echo pwned"));
    }

    @Test // isolation
    void should_confine_writes_outside_the_sandbox_directory() throws IOException {
        assumeTrue(PythonSandbox.isolated(), "no user namespaces (unshare) here: the sandbox does not isolate");
        // given: a stand-in for the user's working tree, and a sibling of the sandbox directory
        Files.writeString(worktree.resolve("Main.java"), "class Main {}\n");
        String before = snapshot(worktree);
        String sibling = "shepherd-escape-" + UUID.randomUUID();
        Path siblingPath = Path.of(System.getProperty("java.io.tmpdir"), sibling);
        // when
        SandboxResult r = sandbox.run(String.join("\n",
                "import os",
                "for target in (" + pyString(worktree.resolve("Main.java").toString()) + ", "
                        + pyString(worktree.resolve("pwned.txt").toString()) + ", '../" + sibling + "'):",
                "    try:",
                "        open(target, 'a').write('pwned\\n')",
                "        print('WROTE', target)",
                "    except OSError as e:",
                "        print('DENIED', target, e)",
                ""));
        // then
        try {
            assertThat(snapshot(worktree)).as(r.output()).isEqualTo(before);
            assertThat(siblingPath).as(r.output()).doesNotExist();
        } finally {
            Files.deleteIfExists(siblingPath);
        }
    }

    @Test // isolation
    void should_not_let_a_program_open_a_network_connection() throws IOException {
        assumeTrue(PythonSandbox.isolated(), "no user namespaces (unshare) here: the sandbox does not isolate");
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            // given: a port on 127.0.0.1 the program tries to reach
            listener.setSoTimeout(1000);
            // when
            SandboxResult r = sandbox.run(String.join("\n",
                    "import socket",
                    "s = socket.create_connection(('127.0.0.1', " + listener.getLocalPort() + "), timeout=1)",
                    "s.sendall(b'escaped')",
                    "print('CONNECTED')",
                    ""));
            // then
            boolean connected;
            try (Socket s = listener.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("the program connected to 127.0.0.1: %s", r.output()).isFalse();
            assertThat(r.passed()).isFalse();
        }
    }

    @Test // isolation
    void should_not_leave_a_daemonized_process_running() throws Exception {
        assumeTrue(PythonSandbox.isolated(), "no user namespaces (unshare) here: the sandbox does not isolate");
        // given: the program double-forks a child into its own session (so it is no longer a descendant) and exits
        String program = String.join("\n",
                "import os, sys, time",
                "pid = os.fork()",
                "if pid == 0:",
                "    os.setsid()",
                "    if os.fork() == 0:",
                "        print('PID', os.getpid(), flush=True)",
                "        time.sleep(20)",
                "    os._exit(0)",
                "os.waitpid(pid, 0)",
                "time.sleep(0.3)",
                "sys.exit(1)",
                "");
        Instant started = Instant.now();
        // when
        SandboxResult r = sandbox.run(program);
        // then
        assertThat(r.passed()).isFalse();
        List<Long> pids = pids(r.output());
        assertThat(pids).as(r.output()).hasSize(1);
        assertThat(survivors(pids, started)).as("a daemonized process outlived the sandbox run").isEmpty();
    }

    /** Pids the program printed. */
    private static List<Long> pids(String output) {
        List<Long> out = new ArrayList<>();
        Matcher m = PID.matcher(output);
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    /**
     * The printed processes still alive: a python process started by this test. Each is then killed by its id,
     * so a failing test cleans up after the program.
     */
    private static List<Long> survivors(List<Long> pids, Instant started) throws InterruptedException {
        Thread.sleep(300); // killed processes need a moment to be reaped
        List<Long> alive = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains("python")).orElse(false))
                    .filter(h -> h.info().startInstant().map(s -> !s.isBefore(started.minusSeconds(1))).orElse(false))
                    .ifPresent(h -> {
                        alive.add(pid);
                        h.destroyForcibly();
                    });
        }
        return alive;
    }

    /** Names, sizes and contents of every file under {@code dir}. */
    static String snapshot(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                sb.append(dir.relativize(p)).append('\n');
                if (Files.isRegularFile(p)) {
                    sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
