package dev.shepherd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shepherd ask} with in-process GGUF models, run as its own JVM so that what de.kherud:llama prints with
 * {@code System.out} and what llama.cpp writes to file descriptor 2 is seen: stdout holds the result, stderr nothing.
 */
class AskQuietGgufIT {

    @TempDir
    Path dir;

    @Test
    void should_print_only_the_result_on_stdout_and_nothing_on_stderr() throws Exception {
        // given
        Path gguf = SharedFiles.require("models/stories260K.gguf");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // when
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + dir, "-cp",
                System.getProperty("java.class.path"), ShepherdCli.class.getName(), "ask", "Lily had 3 apples.",
                "--slm-gguf", gguf.toString(), "--llm-gguf", gguf.toString(), "--hint-tokens", "4",
                "--gguf-context", "512", "--gguf-max-tokens", "8")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        // then
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stderr).isEmpty();
        assertThat(stdout.get(0)).isEqualTo("policy:   fixed-hint");
        assertThat(stdout).noneMatch(l -> l.startsWith("Extracted") || l.startsWith("slot ") || l.startsWith("srv "));
        assertThat(stdout.get(stdout.size() - 1)).startsWith("cost:");
    }
}
