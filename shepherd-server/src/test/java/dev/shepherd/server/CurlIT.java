package dev.shepherd.server;

import static dev.shepherd.server.ServeFixture.KEY;
import static dev.shepherd.server.ServeFixture.SMALL_ANSWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code curl} binary against a shepherd server, complete and streamed; skipped when curl is not installed. */
class CurlIT {

    final ServeFixture f = new ServeFixture();

    @BeforeAll
    static void needsCurl() {
        assumeTrue(curlAvailable(), "curl is not installed (apt-get install curl): skipping the curl tests");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static boolean curlAvailable() {
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs curl with the arguments; returns its stdout (headers included with -i). */
    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl exit code; output: %s", out).isZero();
        return out;
    }

    @Test
    void should_answer_curl_with_shepherd_headers_and_field() throws Exception {
        // when
        String out = curl("-i", f.url("/v1/chat/completions"), "-H", "Authorization: Bearer " + KEY,
                "-H", "Content-Type: application/json", "-d", ServeFixture.body("What is 6 * 7?", false));
        // then
        assertThat(out).startsWith("HTTP/1.1 200").containsIgnoringCase("x-shepherd-decision: HINT(3)")
                .containsIgnoringCase("x-shepherd-tier: small").containsIgnoringCase("x-shepherd-hint-tokens: 3")
                .containsIgnoringCase("x-shepherd-cost-usd: ").contains("\"content\":\"" + SMALL_ANSWER + "\"")
                .contains("\"shepherd\":{").contains("\"decision\":\"HINT(3)\"");
    }

    @Test
    void should_stream_to_curl_as_server_sent_events() throws Exception {
        // when
        String out = curl("-N", f.url("/v1/chat/completions"), "-H", "Authorization: Bearer " + KEY,
                "-H", "Content-Type: application/json", "-d", ServeFixture.body("What is 6 * 7?", true));
        // then
        List<String> events = out.lines().filter(l -> !l.isEmpty()).toList();
        assertThat(events).allSatisfy(l -> assertThat(l).startsWith("data: "));
        assertThat(events).last().isEqualTo("data: [DONE]");
        assertThat(events).filteredOn(l -> l.contains("\"reasoning_content\"")).hasSize(3);
        assertThat(events).filteredOn(l -> l.contains("\"content\"")).hasSize(7);
        assertThat(events.get(events.size() - 2)).contains("\"finish_reason\":\"stop\"").contains("\"shepherd\":{");
    }

    @Test
    void should_refuse_curl_without_a_key() throws Exception {
        // when
        String out = curl("-i", f.url("/v1/chat/completions"), "-H", "Content-Type: application/json",
                "-d", ServeFixture.body("hi", false));
        // then
        assertThat(out).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Bearer")
                .contains("\"code\":\"missing_api_key\"");
    }
}
