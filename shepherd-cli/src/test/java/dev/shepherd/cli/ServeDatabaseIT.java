package dev.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.jdbc.ShepherdDatabase;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.server.ShepherdServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code shepherd serve --database} in-process over real HTTP, with both models as local fake OpenAI servers and a
 * real H2 file: the requests' entries land in the database, {@code /metrics} shows shepherd-micrometer's meters,
 * and a second serve on the same database continues the totals.
 */
class ServeDatabaseIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int N = 3;

    @TempDir
    Path dir;

    FakeOpenAiServer small;
    FakeOpenAiServer large;
    final ExecutorService runner = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() {
        small = FakeOpenAiServer.start(r -> "17 * 23 = 391");
        large = FakeOpenAiServer.start(r -> "To multiply 17 by 23, multiply 17 by 20 to get 340, then add 51");
    }

    @AfterEach
    void stop() {
        runner.shutdownNow();
        small.close();
        large.close();
    }

    /** One in-process {@code shepherd serve}, listening. */
    record Serving(ShepherdServer server, CompletableFuture<Integer> exit, StringWriter err) {
        /** Drains and stops it, as SIGTERM would; returns the exit code. */
        int stop() throws Exception {
            server.close();
            return exit.get(60, TimeUnit.SECONDS);
        }
    }

    Serving serve(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0", "--policy", "fixed-hint",
                "--hint-tokens", "8", "--slm-provider", "openai", "--slm-base-url", small.baseUrl(), "--slm-model",
                "s", "--llm-provider", "openai", "--llm-base-url", large.baseUrl(), "--llm-model", "l"));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        CommandLine cl = ShepherdCli.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        ServeCommand command = cl.getSubcommands().get("serve").getCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(all.toArray(String[]::new)),
                runner);
        ShepherdServer server = command.started.handle((s, e) -> {
            if (e != null) {
                throw new AssertionError("serve did not start: " + err + exit.getNow(null), e);
            }
            return s;
        }).get(60, TimeUnit.SECONDS);
        return new Serving(server, exit, err);
    }

    static JsonNode ask(ShepherdServer server, String question) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("model", "shepherd")
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", question))));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String metrics(ShepherdServer server) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/metrics")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The sum of every series of {@code name} in a Prometheus scrape. */
    static double sum(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
            found = true;
        }
        assertThat(found).as("%s in the scrape:%n%s", name, scrape).isTrue();
        return total;
    }

    @Test
    void should_keep_the_ledger_in_the_database_show_metrics_and_continue_the_totals_on_restart() throws Exception {
        // given
        String url = "jdbc:h2:file:" + dir.resolve("db");
        String[] database = {"--database", url, "--spend-cap", "100", "--cap-name", "it-fleet"};
        Serving first = serve(database);
        // when: N requests over HTTP, a scrape, and a drain
        for (int i = 0; i < N; i++) {
            assertThat(ask(first.server(), "What is 17 * 23? #" + i).at("/choices/0/message/content").asText())
                    .isEqualTo("17 * 23 = 391");
        }
        String scrape = metrics(first.server());
        // then: shepherd-micrometer's meters on the server's /metrics
        assertThat(sum(scrape, "shepherd_requests_total")).isEqualTo(N);
        assertThat(scrape).containsPattern("shepherd_requests_total\\{[^}]*decision=\"hint\"[^}]*} 3\\.0");
        assertThat(sum(scrape, "shepherd_cost_usd_total")).isPositive();
        assertThat(sum(scrape, "shepherd_model_tokens_total")).isPositive();
        assertThat(sum(scrape, "shepherd_spend_cap_limit_usd")).isEqualTo(100.0);
        assertThat(sum(scrape, "shepherd_spend_cap_spent_usd")).isPositive();
        assertThat(scrape).contains("cap=\"it-fleet\"");
        assertThat(first.stop()).isZero();
        assertThat(first.err().toString()).contains("the database ledger holds " + N + " requests");
        // then: exactly N rows, readable once serve has closed the database
        try (ShepherdDatabase db = ShepherdDatabase.h2(dir.resolve("db"))) {
            assertThat(db.ledger().count()).isEqualTo(N);
        }

        // when: a second serve on the same database
        Serving second = serve(database);
        ask(second.server(), "What is 17 * 24?");
        String again = metrics(second.server());
        assertThat(second.stop()).isZero();
        // then: this process's requests in shepherd_requests_total, the ledger's totals continued
        assertThat(sum(again, "shepherd_requests_total")).isEqualTo(1);
        assertThat(sum(again, "shepherd_ledger_requests_total")).isEqualTo(N + 1);
        try (ShepherdDatabase db = ShepherdDatabase.h2(dir.resolve("db"))) {
            assertThat(db.ledger().count()).isEqualTo(N + 1);
            assertThat(db.ledger().totals().requests()).isEqualTo(N + 1);
        }
    }

    @Test
    void should_also_write_this_processs_entries_to_the_jsonl_ledger() throws Exception {
        // given
        Path jsonl = dir.resolve("ledger.jsonl");
        Serving serving = serve("--database", "jdbc:h2:file:" + dir.resolve("db"), "--ledger", jsonl.toString());
        // when
        ask(serving.server(), "What is 17 * 23?");
        ask(serving.server(), "What is 17 * 25?");
        assertThat(serving.stop()).isZero();
        // then
        assertThat(Files.readAllLines(jsonl)).hasSize(2);
        assertThat(serving.err().toString()).contains("drained; 2 ledger entries written to")
                .contains("the database ledger holds 2 requests");
    }
}
