package dev.shepherd.server;

import static dev.shepherd.server.ServeFixture.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.langchain4j.testing.Fault;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link ShepherdServer} over real HTTP: limits, errors, endpoints and a graceful shutdown under load. */
class ShepherdServerIT {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error");
    }

    @Test
    void should_refuse_a_missing_or_wrong_key_in_openai_error_shape() throws Exception {
        try (ServeFixture f = new ServeFixture()) {
            // when
            HttpResponse<String> none = f.post(ServeFixture.body("hi", false), null);
            HttpResponse<String> wrong = f.post(ServeFixture.body("hi", false), KEY + "x");
            // then
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(error(none).get("code").asText()).isEqualTo("missing_api_key");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(error(wrong).get("code").asText()).isEqualTo("invalid_api_key");
            assertThat(error(wrong).get("message").asText()).doesNotContain(KEY);
            assertThat(f.get("/v1/models", null).statusCode()).isEqualTo(401);
            assertThat(f.get("/metrics", "nope").statusCode()).isEqualTo(401);
            assertThat(f.get("/health", null).body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(f.small.requestCount() + f.large.requestCount()).isZero();
        }
    }

    @Test
    void should_refuse_a_body_over_the_size_limit_with_413() throws Exception {
        try (ServeFixture f = new ServeFixture(ServeFixture.HINT_3, b -> b.maxRequestBytes(2_000))) {
            // when
            HttpResponse<String> big = f.post(ServeFixture.body("x".repeat(3_000), false), KEY);
            HttpResponse<String> small = f.post(ServeFixture.body("x".repeat(500), false), KEY);
            // then
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(error(big).get("code").asText()).isEqualTo("request_too_large");
            assertThat(error(big).get("message").asText()).contains("2000 bytes");
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(f.get("/metrics", KEY).body()).contains("shepherd_server_rejected_total{reason=\"size\"} 1.0");
        }
    }

    @Test
    void should_answer_429_beyond_the_concurrency_limit_without_queueing() throws Exception {
        try (ServeFixture f = new ServeFixture(ServeFixture.HINT_3, b -> b.maxConcurrent(2))) {
            f.large.fault(Fault.delay(Duration.ofMillis(1500)));
            ExecutorService pool = Executors.newFixedThreadPool(5);
            try {
                // when: five at once, two permitted
                List<Future<HttpResponse<String>>> all = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    all.add(pool.submit(() -> f.post(ServeFixture.body("hi", false), KEY)));
                    Thread.sleep(50);
                }
                List<Integer> codes = new ArrayList<>();
                for (Future<HttpResponse<String>> r : all) {
                    codes.add(r.get().statusCode());
                    if (r.get().statusCode() == 429) {
                        assertThat(r.get().headers().firstValue("retry-after")).hasValue("1");
                        assertThat(error(r.get()).get("code").asText()).isEqualTo("concurrency_limit_exceeded");
                    }
                }
                // then
                assertThat(codes).containsExactlyInAnyOrder(200, 200, 429, 429, 429);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void should_name_the_field_and_value_of_bad_input() throws Exception {
        try (ServeFixture f = new ServeFixture()) {
            // when / then
            assertError(f.post("{\"model\":\"shepherd\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", KEY),
                    400, "messages[0].role", "but was 'tool'");
            assertError(f.post("{\"model\":\"shepherd\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"temperature\":3}", KEY), 400, "temperature", "in [0, 2] but was 3");
            assertError(f.post("{\"model\":\"shepherd\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"max_tokens\":0}", KEY), 400, "max_tokens", "integer >= 1 but was 0");
            assertError(f.post("{\"model\":\"shepherd\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"tools\":[{}]}", KEY), 400, "tools", "not supported");
            assertError(f.post("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", KEY),
                    404, "model", "'gpt-4o' does not exist");
            assertError(f.post("{\"model\":\"shepherd\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"max_tokens\":1}", KEY), 400, null, "max_tokens (1) is smaller than the 3-token hint");
            assertError(f.post("{\"model\":\"shepherd\",", KEY), 400, null, "not valid JSON");
            assertError(f.post("{\"model\":\"shepherd\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}",
                    KEY), 400, null, "must contain a UserMessage");
            assertThat(f.get("/v1/chat/completions", KEY).statusCode()).isEqualTo(405);
            assertThat(f.get("/v2/anything", KEY).statusCode()).isEqualTo(404);
        }
    }

    static void assertError(HttpResponse<String> r, int status, String param, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = error(r);
        assertThat(e.get("message").asText()).contains(message);
        if (param == null) {
            assertThat(e.get("param").isNull()).isTrue();
        } else {
            assertThat(e.get("param").asText()).isEqualTo(param);
        }
        assertThat(e.get("type").asText()).isNotBlank();
    }

    @Test
    void should_answer_502_naming_the_small_model_when_it_fails() throws Exception {
        try (ServeFixture f = new ServeFixture()) {
            f.small.faultNext(Fault.status(500));
            // when
            HttpResponse<String> r = f.post(ServeFixture.body("hi", false), KEY);
            // then
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(error(r).get("code").asText()).isEqualTo("model_failed");
            assertThat(error(r).get("message").asText()).contains("small model 'open_ai:slm'");
        }
    }

    @Test
    void should_list_the_model_and_expose_metrics() throws Exception {
        try (ServeFixture f = new ServeFixture()) {
            f.post(ServeFixture.body("hi", false), KEY);
            // when
            HttpResponse<String> models = f.get("/v1/models", KEY);
            String metrics = f.get("/metrics", KEY).body();
            // then
            assertThat(JSON.readTree(models.body()).get("data").get(0).get("id").asText()).isEqualTo("shepherd");
            assertThat(metrics).contains("shepherd_server_requests_total{endpoint=\"chat.completions\",mode=\"complete\","
                            + "status=\"200\"} 1.0")
                    .contains("shepherd_server_decisions_total{decision=\"HINT\",degraded=\"false\",tier=\"small\"} 1.0")
                    .contains("shepherd_ledger_requests_total 1.0").contains("shepherd_ledger_cost_usd_total")
                    .contains("shepherd_server_requests_inflight");
        }
    }

    @Test
    void should_drain_in_flight_requests_on_close_and_then_flush() throws Exception {
        AtomicBoolean flushedAfterAll = new AtomicBoolean();
        ServeFixture[] holder = new ServeFixture[1];
        try (ServeFixture f = new ServeFixture(ServeFixture.HINT_3, b -> b.afterDrain(
                () -> flushedAfterAll.set(holder[0].ledger.entries().size() == 8)))) {
            holder[0] = f;
            f.small.fault(Fault.delay(Duration.ofMillis(800)));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    boolean stream = i % 2 == 0;
                    inFlight.add(pool.submit(() -> f.post(ServeFixture.body("hi", stream), KEY)));
                }
                while (f.server.inFlight() < 8) {
                    Thread.sleep(10);
                }
                // when
                f.server.close();
                // then: every request in flight was answered in full, the ledger has them all before the flush
                for (Future<HttpResponse<String>> r : inFlight) {
                    assertThat(r.get().statusCode()).isEqualTo(200);
                    assertThat(r.get().body()).contains("42");
                }
                assertThat(flushedAfterAll).isTrue();
                assertThat(f.ledger.entries()).hasSize(8).allSatisfy(e -> assertThat(e.succeeded()).isTrue());
                // and nothing new is accepted
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> f.post(ServeFixture.body("hi", false), KEY)))
                        .isInstanceOf(ConnectException.class);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
