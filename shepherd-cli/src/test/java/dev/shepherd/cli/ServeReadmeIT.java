package dev.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's {@code shepherd serve} and {@code curl} commands as written, in a separate JVM, with the model
 * URLs pointed at local fake servers and a free port; then stops the server with SIGTERM and checks that it drained,
 * wrote the JSONL ledger and left the request's row in its H2 database (closed after the drain, not by H2's own
 * shutdown hook). Skipped when {@code curl} is not installed.
 */
class ServeReadmeIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_run_the_readme_serve_and_curl_commands() throws Exception {
        assumeTrue(curl(), "curl is not installed (apt-get install curl): skipping the README's serve example");
        // given: the README's block, its two model servers as local fakes, and a free port
        List<String> commands = commands(Files.readString(Path.of("..", "README.md")));
        String export = commands.stream().filter(c -> c.startsWith("export SHEPHERD_API_KEYS=")).findFirst().orElseThrow();
        String serve = commands.stream().filter(c -> c.startsWith("bin/shepherd serve ")).findFirst().orElseThrow();
        String curl = commands.stream().filter(c -> c.startsWith("curl ")).findFirst().orElseThrow();
        try (FakeOllamaServer small = FakeOllamaServer.start(r -> "17 * 23 = 391");
             FakeOpenAiServer large = FakeOpenAiServer.start(
                     r -> "To multiply 17 by 23, first multiply 17 by 20 to get 340, then 17 by 3 to get 51, and add: 391")) {
            int port = freePort();
            List<String> args = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-cp",
                    System.getProperty("java.class.path"), ShepherdCli.class.getName()));
            args.addAll(words(serve.substring("bin/shepherd ".length()).replaceFirst("\\s*&$", "")));
            replace(args, "--port", String.valueOf(port));
            replace(args, "--slm-base-url", small.baseUrl());
            replace(args, "--llm-base-url", large.baseUrl());
            ProcessBuilder pb = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("SHEPHERD_API_KEYS", export.substring("export SHEPHERD_API_KEYS=".length())
                    .replaceAll("\\s+#.*$", "").strip());
            pb.environment().put("OPENAI_API_KEY", "sk-test");
            Process server = pb.start();
            StringBuilder log = new StringBuilder();
            CompletableFuture<Void> listening = new CompletableFuture<>();
            Thread reader = new Thread(() -> read(server, log, listening));
            reader.start();
            try {
                listening.get(90, TimeUnit.SECONDS);
                // when: the README's curl, on that port
                Process c = new ProcessBuilder("bash", "-c", curl.replace(":8080/", ":" + port + "/"))
                        .redirectErrorStream(true).start();
                String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
                // then
                assertThat(c.exitValue()).as(out).isZero();
                JsonNode answer = JSON.readTree(out);
                assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("17 * 23 = 391");
                assertThat(answer.at("/shepherd/decision").asText()).isEqualTo("HINT(16)");
                assertThat(answer.at("/shepherd/cost_usd").asDouble()).isPositive();
                assertThat(small.lastRequest().lastUserMessage()).contains("Hint: To multiply 17 by 23");
            } finally {
                // SIGTERM: drain, then write the ledger. (Process.destroy() would also close our end of its output.)
                server.toHandle().destroy();
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).as(log.toString()).isTrue();
                reader.join(10_000);
            }
            assertThat(log.toString()).as("exit code %s", server.exitValue()).contains("listening on http://127.0.0.1:" + port + "/v1")
                    .contains("drained; 1 ledger entries written to ledger.jsonl");
            assertThat(Files.readAllLines(dir.resolve("ledger.jsonl"))).singleElement()
                    .satisfies(l -> assertThat(l).contains("\"decision\":\"HINT(16)\"", "\"succeeded\":true"));
            String database = args.get(args.indexOf("--database") + 1);
            assertThat(database).startsWith("jdbc:h2:file:./");
            try (ShepherdDatabase db = ShepherdDatabase.h2(dir.resolve(database.substring("jdbc:h2:file:./".length())))) {
                assertThat(db.ledger().count()).isEqualTo(1);
            }
        }
    }

    /** The shell commands of the README's block that runs {@code shepherd serve}, continuation lines joined. */
    static List<String> commands(String readme) {
        Matcher m = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            if (m.group(1).contains("bin/shepherd serve")) {
                List<String> out = new ArrayList<>();
                for (String c : m.group(1).replace("\\\n", " ").split("\n")) {
                    if (!c.isBlank()) {
                        out.add(c.strip().replaceAll("\\s+", " "));
                    }
                }
                return out;
            }
        }
        throw new AssertionError("README.md has no ```bash block with bin/shepherd serve");
    }

    /** Splits a command on spaces (the serve command has no quoted words). */
    static List<String> words(String command) {
        assertThat(command).doesNotContain("'", "\"");
        return List.of(command.strip().split(" "));
    }

    static void replace(List<String> args, String option, String value) {
        int at = args.indexOf(option);
        assertThat(at).as("the README's serve command has " + option).isPositive();
        args.set(at + 1, value);
    }

    static void read(Process p, StringBuilder log, CompletableFuture<Void> listening) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (log) {
                    log.append(line).append('\n');
                }
                if (line.contains("listening on")) {
                    listening.complete(null);
                }
            }
            listening.completeExceptionally(new AssertionError("serve exited before listening:\n" + log));
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean curl() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
