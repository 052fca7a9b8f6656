package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real llama.cpp engine on the tiny stories260K model. */
class LlamaCppChatModelIT {

    private static final UserMessage STORY = UserMessage.from("Tell me a story.");

    private static LlamaCppChatModel model;

    @BeforeAll
    static void load() {
        model = TestModels.greedy(ChatTemplate.plainText());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static ChatResponse chat(int cap, ChatMessage... messages) {
        return model.chat(ChatRequest.builder().messages(messages).maxOutputTokens(cap).build());
    }

    private static LlamaCppChatResponseMetadata metadata(ChatResponse response) {
        return (LlamaCppChatResponseMetadata) response.metadata();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 23})
    void should_stop_after_exactly_max_output_tokens(int cap) {
        // when
        ChatResponse response = chat(cap, STORY);

        // then
        String prompt = metadata(response).renderedPrompt();
        int countedInContext = model.countTokens(prompt + response.aiMessage().text()) - model.countTokens(prompt);
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(cap);
        assertThat(countedInContext).isBetween(1, cap);
    }

    @Test
    void should_return_the_same_text_for_two_greedy_calls() {
        // when
        String first = chat(40, STORY).aiMessage().text();
        String second = chat(40, STORY).aiMessage().text();

        // then
        assertThat(first).isNotBlank().isEqualTo(second);
    }

    @Test
    void should_repeat_a_sampled_answer_with_a_fixed_seed_and_vary_without_one() {
        // given
        ChatRequest sampled = ChatRequest.builder().messages(STORY).temperature(1.0).maxOutputTokens(30).build();
        try (LlamaCppChatModel seeded = LlamaCppChatModel.builder().modelPath(TestModels.stories260K())
                .threads(2).contextSize(512).seed(7).build()) {
            // when
            ChatResponse first = seeded.chat(sampled);
            ChatResponse second = seeded.chat(sampled);
            Set<String> unseeded = new java.util.HashSet<>();
            for (int i = 0; i < 4; i++) {
                unseeded.add(model.chat(sampled).aiMessage().text());
            }

            // then
            assertThat(first.aiMessage().text()).isEqualTo(second.aiMessage().text());
            assertThat(metadata(first).seed()).isEqualTo(7);
            assertThat(unseeded).hasSizeGreaterThan(1);
        }
    }

    @Test
    void should_continue_a_prefilled_assistant_message() {
        // given
        String hint = "Once upon a time, there was a little dog named";

        // when
        String unconditioned = chat(20, STORY).aiMessage().text();
        ChatResponse conditioned = chat(20, STORY, AiMessage.from(hint));

        // then: the hint is not repeated, and the model goes on with the dog's name
        String text = conditioned.aiMessage().text();
        assertThat(text).isNotEqualTo(unconditioned).doesNotContain("dog named").matches("^ [A-Z][a-z]+\\b(?s).*");
        assertThat(metadata(conditioned).prefill()).isEqualTo(hint);
        assertThat(metadata(conditioned).renderedPrompt()).endsWith("Assistant: " + hint);
    }

    @Test
    void should_continue_a_greedy_answer_unchanged_when_the_hint_is_its_own_beginning() {
        // given: the first words of the unconditioned greedy answer, given back as a hint
        String unconditioned = chat(30, STORY).aiMessage().text();
        String[] words = unconditioned.strip().split(" ");
        String hint = words[0] + " " + words[1] + " " + words[2];

        // when
        String continuation = chat(12, STORY, AiMessage.from(hint)).aiMessage().text();

        // then
        assertThat(continuation).isNotEmpty();
        assertThat(unconditioned).startsWith(" " + hint + continuation);
    }

    @Test
    void should_stop_at_the_first_stop_sequence_and_exclude_it() {
        // given
        String unstopped = chat(60, STORY).aiMessage().text();
        assertThat(unstopped).contains(".");

        // when
        ChatResponse stopped = model.chat(ChatRequest.builder().messages(STORY).maxOutputTokens(60)
                .stopSequences(List.of("never appears", ".")).build());

        // then
        String text = stopped.aiMessage().text();
        assertThat(text).doesNotContain(".").isEqualTo(unstopped.substring(0, unstopped.indexOf('.')));
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(metadata(stopped).stopSequence()).isEqualTo(".");
        assertThat(stopped.tokenUsage().outputTokenCount()).isBetween(1, 59);
    }

    @Test
    void should_count_input_tokens_of_the_rendered_prompt_with_the_model_tokenizer() {
        // given
        List<ChatMessage> messages = List.of(SystemMessage.from("You tell short stories."), STORY,
                AiMessage.from("Lily had a red ball."), UserMessage.from("What happened next?"));

        // when
        ChatResponse response = model.chat(ChatRequest.builder().messages(messages).maxOutputTokens(5).build());

        // then
        String rendered = ChatTemplate.plainText().render(messages);
        assertThat(metadata(response).renderedPrompt()).isEqualTo(rendered);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(model.countTokens(rendered)).isGreaterThan(10);
        assertThat(response.metadata().modelName()).isEqualTo("stories260K.gguf");
    }

    @Test
    void should_serve_concurrent_callers_each_with_its_own_answer() throws Exception {
        // given
        List<String> prompts = List.of("Tell me a story.", "Once upon a time", "Tom had a cat.", "The sun was hot.");
        List<String> expected = new ArrayList<>();
        for (String prompt : prompts) {
            expected.add(chat(25, UserMessage.from(prompt)).aiMessage().text());
        }
        assertThat(Set.copyOf(expected)).hasSize(prompts.size());

        // when: two callers per prompt, all released at once
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<String>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                String prompt = prompts.get(i % prompts.size());
                futures.add(pool.submit(() -> {
                    start.await();
                    return chat(25, UserMessage.from(prompt)).aiMessage().text();
                }));
            }
            start.countDown();

            // then
            for (int i = 0; i < 8; i++) {
                assertThat(futures.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS))
                        .as("caller %d", i).isEqualTo(expected.get(i % prompts.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_fire_listeners_with_the_response() {
        // given
        List<ChatResponse> seen = new CopyOnWriteArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onResponse(ChatModelResponseContext context) {
                seen.add(context.chatResponse());
            }
        };
        try (LlamaCppChatModel listened = LlamaCppChatModel.builder().modelPath(TestModels.stories260K())
                .threads(2).contextSize(512).temperature(0).listeners(List.of(listener)).build()) {
            // when
            ChatResponse response = listened.chat(ChatRequest.builder().messages(STORY).maxOutputTokens(3).build());

            // then
            assertThat(seen).containsExactly(response);
        }
    }

    @Test
    void should_use_builder_defaults_when_the_request_sets_none() {
        // given
        try (LlamaCppChatModel capped = LlamaCppChatModel.builder().modelPath(TestModels.stories260K())
                .threads(2).contextSize(512).temperature(0).maxOutputTokens(4).build()) {
            // when
            ChatResponse response = capped.chat(STORY);

            // then
            assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(4);
            assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(capped.defaultRequestParameters().maxOutputTokens()).isEqualTo(4);
        }
    }

    @Test
    void should_render_with_a_plugged_in_template() {
        // given: a template for text completion, as a story model wants
        try (LlamaCppChatModel raw = TestModels.greedy(ChatTemplate.rawText())) {
            // when
            ChatResponse response = raw.chat(ChatRequest.builder().messages(UserMessage.from("Once upon a time"))
                    .maxOutputTokens(8).build());

            // then
            assertThat(metadata(response).renderedPrompt()).isEqualTo("Once upon a time");
            assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(raw.countTokens("Once upon a time"));
            assertThat(response.aiMessage().text()).isNotBlank();
        }
    }

    @Test
    void should_render_with_a_user_supplied_template() {
        // given
        ChatTemplate custom = messages -> "A story. " + ((UserMessage) messages.get(0)).singleText();
        try (LlamaCppChatModel customized = TestModels.greedy(custom)) {
            // when
            ChatResponse response = customized.chat(UserMessage.from("Once upon a time"));

            // then
            assertThat(metadata(response).renderedPrompt()).isEqualTo("A story. Once upon a time");
            assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(customized.countTokens("A story. Once upon a time"));
        }
    }

    @Test
    void should_reject_a_prompt_that_does_not_fit_the_context() {
        // given
        String longText = java.util.stream.Stream.generate(() -> "The dog ran.").limit(20).collect(Collectors.joining(" "));
        try (LlamaCppChatModel small = LlamaCppChatModel.builder().modelPath(TestModels.stories260K())
                .threads(2).contextSize(32).build()) {
            // when / then
            assertThatThrownBy(() -> small.chat(UserMessage.from(longText)))
                    .isInstanceOf(PromptTooLongException.class)
                    .hasMessageContaining("context size 32");
        }
    }
}
