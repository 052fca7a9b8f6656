package dev.shepherd.server;

import static dev.shepherd.server.ServeFixture.KEY;
import static dev.shepherd.server.ServeFixture.SMALL_ANSWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPrediction;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.langchain4j.testing.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java client ({@code com.openai:openai-java}) against {@code shepherd serve}, over real HTTP. */
class OpenAiClientIT {

    final ServeFixture f = new ServeFixture();
    final OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(f.server.baseUri().toString()).apiKey(KEY)
            .maxRetries(0).build();

    @AfterEach
    void stop() {
        client.close();
        f.close();
    }

    static ChatCompletionCreateParams question(String q) {
        return ChatCompletionCreateParams.builder().model("shepherd").addSystemMessage("Answer briefly.")
                .addUserMessage(q).build();
    }

    @Test
    void should_answer_a_chat_completion_with_the_decision_in_headers_and_body() {
        // when
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(question("What is 6 * 7?"));
        ChatCompletion c = raw.parse();
        // then
        assertThat(c.choices()).singleElement().satisfies(ch -> {
            assertThat(ch.message().content()).hasValue(SMALL_ANSWER);
            assertThat(ch.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        });
        assertThat(c.model()).isEqualTo("shepherd");
        assertThat(c.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(3 + 7));
        assertThat(raw.headers().values("x-shepherd-decision")).containsExactly("HINT(3)");
        assertThat(raw.headers().values("x-shepherd-tier")).containsExactly("small");
        assertThat(raw.headers().values("x-shepherd-hint-tokens")).containsExactly("3");
        assertThat(raw.headers().values("x-shepherd-cost-usd")).singleElement()
                .satisfies(v -> assertThat(Double.parseDouble(v)).isPositive());
        @SuppressWarnings("unchecked")
        Map<String, Object> shepherd = (Map<String, Object>) c._additionalProperties().get("shepherd")
                .convert(Map.class);
        assertThat(shepherd).containsEntry("decision", "HINT(3)").containsEntry("tier", "small")
                .containsEntry("hint_tokens", 3).containsEntry("degraded", false);
        assertThat(f.ledger.entries()).singleElement().satisfies(e -> assertThat(e.requestId())
                .isEqualTo(shepherd.get("request_id")));
    }

    @Test
    void should_stream_the_hint_then_the_answer_token_by_token() {
        // given
        ChatCompletionCreateParams params = question("What is 6 * 7?").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<String> content = new ArrayList<>();
        List<String> hint = new ArrayList<>();
        List<JsonValue> shepherd = new ArrayList<>();
        List<Long> usage = new ArrayList<>();
        // when
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(ch -> {
                    ch.delta().content().ifPresent(content::add);
                    JsonValue reasoning = ch.delta()._additionalProperties().get("reasoning_content");
                    if (reasoning != null) {
                        hint.add(reasoning.convert(String.class));
                    }
                });
                if (chunk._additionalProperties().containsKey("shepherd")) {
                    shepherd.add(chunk._additionalProperties().get("shepherd"));
                }
                chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
            });
        }
        // then
        assertThat(hint).containsExactly("The", " large", " model");
        assertThat(content).hasSize(7);
        assertThat(String.join("", content)).isEqualTo(SMALL_ANSWER);
        assertThat(shepherd).singleElement().satisfies(s -> assertThat(s.toString()).contains("HINT(3)"));
        assertThat(usage).containsExactly(10L);
    }

    @Test
    void should_continue_a_large_answer_that_fails_mid_stream() {
        // given: a server whose policy buys the large model's full answer; that stream drops after three tokens
        try (ServeFixture g = new ServeFixture(ProactiveShepherding.builder().predictor((q, p) -> HintPrediction.of(0.9, 50))
                .rule(new HintDecisionRule(0.5, 10, 100)).build(), b -> b)) {
            OpenAIClient c = OpenAIOkHttpClient.builder().baseUrl(g.server.baseUri().toString()).apiKey(KEY)
                    .maxRetries(0).build();
            g.large.faultNext(Fault.cutStreamAfter(3));
            g.small.responder(r -> " answer, says the small model: 42");
            StringBuilder content = new StringBuilder();
            // when
            try (StreamResponse<ChatCompletionChunk> stream = c.chat().completions()
                    .createStreaming(question("What is 6 * 7?"))) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().content()
                        .ifPresent(content::append)));
            }
            // then: one answer, no restart: the small model went on from the large model's first three tokens
            assertThat(content.toString()).isEqualTo("The large model answer, says the small model: 42");
            assertThat(g.ledger.entries()).singleElement().satisfies(e -> assertThat(e.notes())
                    .contains("llm-unavailable", "continued-after-failure"));
            c.close();
        }
    }

    @Test
    void should_refuse_a_wrong_key_and_name_a_bad_field() {
        // given
        OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(f.server.baseUri().toString())
                .apiKey("sk-wrong").maxRetries(0).build();
        // then
        assertThatThrownBy(() -> wrong.chat().completions().create(question("hi")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("Incorrect API key");
        wrong.close();
        assertThatThrownBy(() -> client.chat().completions().create(question("hi").toBuilder().n(3).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'n' must be 1");
    }
}
