package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fake servers speak the protocols well enough for the real LangChain4j clients. */
class FakeServersIT {

    private static final String ANSWER = "one two three four five six";

    @Test
    void should_truncate_to_max_tokens_and_report_length_over_openai() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(req -> ANSWER)) {
            // when
            ChatResponse r = Clients.openAi(server, "gpt-test").chat(ChatRequest.builder()
                    .messages(UserMessage.from("count for me")).maxOutputTokens(2).build());
            // then
            assertThat(r.aiMessage().text()).isEqualTo("one two");
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(r.tokenUsage().inputTokenCount()).isEqualTo(3);
            assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(2);
            assertThat(server.lastRequest().maxTokens()).isEqualTo(2);
            assertThat(server.lastRequest().rawBody()).containsPattern("\"max_tokens\"\\s*:\\s*2\\b");
            assertThat(server.completionTokens()).isEqualTo(2);
        }
    }

    @Test
    void should_return_top_logprobs_when_asked() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(req -> ANSWER)) {
            // when
            ChatResponse r = Clients.openAiWithLogprobs(server, "gpt-test").chat(ChatRequest.builder()
                    .messages(UserMessage.from("count")).build());
            // then
            OpenAiChatResponseMetadata md = (OpenAiChatResponseMetadata) r.metadata();
            assertThat(md.logProbs()).hasSize(6);
            assertThat(md.logProbs().get(0).topLogprobs()).hasSize(3);
            assertThat(server.lastRequest().logprobs()).isTrue();
            assertThat(server.lastRequest().topLogprobs()).isEqualTo(3);
        }
    }

    @Test
    void should_truncate_to_num_predict_and_report_length_over_ollama() {
        try (FakeOllamaServer server = FakeOllamaServer.start(req -> ANSWER)) {
            // when
            ChatResponse r = Clients.ollama(server, "llama-test").chat(ChatRequest.builder()
                    .messages(UserMessage.from("count for me")).maxOutputTokens(4).build());
            // then
            assertThat(r.aiMessage().text()).isEqualTo("one two three four");
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(r.tokenUsage().inputTokenCount()).isEqualTo(3);
            assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(4);
            assertThat(server.lastRequest().maxTokens()).isEqualTo(4);
            assertThat(server.lastRequest().rawBody()).containsPattern("\"num_predict\"\\s*:\\s*4\\b");
        }
    }

    @Test
    void should_stream_token_by_token_over_both_protocols() throws Exception {
        try (FakeOpenAiServer openAi = FakeOpenAiServer.start(req -> ANSWER);
             FakeOllamaServer ollama = FakeOllamaServer.start(req -> ANSWER)) {
            for (var model : List.of(Clients.openAiStreaming(openAi, "gpt-test"), Clients.ollamaStreaming(ollama, "m"))) {
                // given
                List<String> partials = new CopyOnWriteArrayList<>();
                CompletableFuture<ChatResponse> done = new CompletableFuture<>();
                // when
                model.chat("count", new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        partials.add(partial);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
                ChatResponse r = done.get(10, TimeUnit.SECONDS);
                // then
                assertThat(partials).hasSize(6);
                assertThat(String.join("", partials)).isEqualTo(ANSWER);
                assertThat(r.aiMessage().text()).isEqualTo(ANSWER);
                assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(6);
            }
        }
    }

    @Test
    void should_answer_unknown_models_with_404_like_the_real_servers() {
        try (FakeOpenAiServer openAi = FakeOpenAiServer.builder().responder(req -> ANSWER).knownModels("gpt-test").build();
             FakeOllamaServer ollama = FakeOllamaServer.builder().responder(req -> ANSWER).knownModels("m").build()) {
            assertThatThrownBy(() -> Clients.openAi(openAi, "gpt-typo").chat("hi"))
                    .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("gpt-typo");
            assertThatThrownBy(() -> Clients.ollama(ollama, "typo").chat("hi"))
                    .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("typo");
        }
    }

    @Test
    void should_inject_rate_limits_with_retry_after() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(req -> ANSWER)) {
            // given
            server.faultNext(Fault.rateLimited(7));
            // when / then
            assertThatThrownBy(() -> Clients.openAi(server, "gpt-test").chat("hi")).isInstanceOf(RateLimitException.class);
            server.faultNext(Fault.rateLimited(7));
            HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(429);
            assertThat(raw.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(raw.body()).contains("rate_limit_exceeded");
            assertThat(Clients.openAi(server, "gpt-test").chat("hi")).isEqualTo(ANSWER);
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(server.answeredCount()).isEqualTo(1);
        }
    }

    @Test
    void should_inject_malformed_json_and_connection_resets() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(req -> ANSWER)) {
            server.faultNext(Fault.malformedJson());
            assertThatThrownBy(() -> Clients.openAi(server, "gpt-test").chat("hi")).isInstanceOf(RuntimeException.class);
            server.faultNext(Fault.connectionReset());
            assertThatThrownBy(() -> Clients.openAi(server, "gpt-test").chat("hi")).isInstanceOf(RuntimeException.class);
            assertThat(server.answeredCount()).isZero();
        }
    }

    @Test
    void should_count_usage_exactly_under_concurrent_load() throws Exception {
        try (FakeOllamaServer server = FakeOllamaServer.start(req -> ANSWER)) {
            // given
            var model = Clients.ollama(server, "m");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> calls = new ArrayList<>();
            // when
            for (int i = 0; i < 64; i++) {
                calls.add(pool.submit(() -> model.chat("count for me")));
            }
            for (Future<String> f : calls) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(ANSWER);
            }
            pool.shutdown();
            // then
            assertThat(server.requestCount()).isEqualTo(64);
            assertThat(server.requests()).hasSize(64);
            assertThat(server.promptTokens()).isEqualTo(64 * 3);
            assertThat(server.completionTokens()).isEqualTo(64 * 6);
        }
    }
}
