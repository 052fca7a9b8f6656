package dev.shepherd.server;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.langchain4j.ShepherdChatModel;
import dev.shepherd.langchain4j.ShepherdStreamingChatModel;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Two fake OpenAI servers as the small and the large model, the real LangChain4j clients, shepherd's chat and
 * streaming models over them (a 3-token hint for every query) and a {@link ShepherdServer} on a free port.
 */
final class ServeFixture implements AutoCloseable {

    static final String KEY = "sk-test-0123456789abcdef";
    static final String SMALL_ANSWER = "With the hint the answer is 42";
    static final String LARGE_ANSWER = "The large model answer is 42";
    static final CostModel PRICES = CostModel.localSmall(TokenPrices.perMillion(1.0, 2.0));
    static final ShepherdingPolicy HINT_3 = ProactiveShepherding.builder().predictor((q, f) -> HintPrediction.of(0.9, 3))
                .rule(new HintDecisionRule(0.5, 10, 100)).build();

    final FakeOpenAiServer small = FakeOpenAiServer.builder().responder(r -> SMALL_ANSWER).recordRequests(false).build();
    final FakeOpenAiServer large = FakeOpenAiServer.builder().responder(r -> LARGE_ANSWER).recordRequests(false).build();
    final CostLedger ledger = CostLedger.create();
    final ShepherdServer server;
    final HttpClient http = HttpClient.newHttpClient();

    ServeFixture() {
        this(HINT_3, b -> b);
    }

    ServeFixture(ShepherdingPolicy policy, UnaryOperator<ShepherdServer.Builder> settings) {
        Duration timeout = Duration.ofSeconds(10);
        ShepherdChatModel chat = ShepherdChatModel.builder()
                .small(OpenAiChatModel.builder().baseUrl(small.baseUrl()).apiKey("k").modelName("slm")
                        .maxRetries(0).timeout(timeout).build())
                .large(OpenAiChatModel.builder().baseUrl(large.baseUrl()).apiKey("k").modelName("llm")
                        .maxRetries(0).timeout(timeout).build())
                .policy(policy).costModel(PRICES).ledger(ledger).build();
        ShepherdStreamingChatModel streaming = ShepherdStreamingChatModel.builder()
                .small(OpenAiStreamingChatModel.builder().baseUrl(small.baseUrl()).apiKey("k").modelName("slm")
                        .timeout(timeout).build())
                .large(OpenAiStreamingChatModel.builder().baseUrl(large.baseUrl()).apiKey("k").modelName("llm")
                        .timeout(timeout).build())
                .policy(policy).costModel(PRICES).ledger(ledger).build();
        server = settings.apply(ShepherdServer.builder().chatModel(chat).streamingModel(streaming).port(0)
                .apiKeys(ApiKeys.of(List.of(KEY)))).build().start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    static String body(String question, boolean stream) {
        return "{\"model\":\"shepherd\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
    }

    HttpResponse<String> post(String body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/v1/chat/completions")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        small.close();
        large.close();
    }
}
