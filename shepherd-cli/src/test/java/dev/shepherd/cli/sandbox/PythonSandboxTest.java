package dev.shepherd.cli.sandbox;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PythonSandboxTest {

    static PythonSandbox sandbox;

    @BeforeAll
    static void python() {
        assumeTrue(PythonSandbox.findPython().isPresent(), "skipped: python3 is not on the PATH");
        sandbox = PythonSandbox.create(Duration.ofSeconds(3), 256L << 20);
    }

    @Test
    void should_pass_a_program_whose_tests_pass() {
        // when
        SandboxResult r = sandbox.run("def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\n");
        // then
        assertThat(r.passed()).as(r.output()).isTrue();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void should_fail_a_program_whose_tests_fail() {
        // when
        SandboxResult r = sandbox.run("def add(a, b):\n    return a - b\n\nassert add(2, 3) == 5\n");
        // then
        assertThat(r.passed()).isFalse();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.output()).contains("AssertionError");
    }

    @Test
    void should_kill_an_infinite_loop_at_the_timeout() {
        // when
        long start = System.nanoTime();
        SandboxResult r = sandbox.run("while True:\n    pass\n");
        // then
        assertThat(r.passed()).isFalse();
        assertThat(r.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void should_fail_a_program_exceeding_the_memory_limit() {
        // when
        SandboxResult r = sandbox.run("x = bytearray(1024 * 1024 * 1024)\n");
        // then
        assertThat(r.passed()).isFalse();
        assertThat(r.output()).contains("MemoryError");
    }

    @Test
    void should_hide_the_parent_environment_and_run_outside_the_working_tree() {
        // given
        String cwd = Path.of("").toAbsolutePath().toString();
        // when: the program fails if it can see PATH-only env beyond the allowed keys, or runs in our directory
        SandboxResult r = sandbox.run("import os\n"
                + "extra = set(os.environ) - {'PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_CTYPE'}\n"
                + "assert not extra, extra\n"
                + "assert os.getcwd() != " + pyString(cwd) + "\n"
                + "assert 'shepherd-sandbox-' in os.getcwd()\n");
        // then
        assertThat(r.passed()).as(r.output()).isTrue();
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
