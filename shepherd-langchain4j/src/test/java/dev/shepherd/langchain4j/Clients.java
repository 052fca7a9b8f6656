package dev.shepherd.langchain4j;

import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.shepherd.langchain4j.testing.FakeOllamaServer;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import java.time.Duration;

/** Real LangChain4j clients pointed at the fake servers, configured as the README advises (no retries). */
final class Clients {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Clients() {
    }

    static OpenAiChatModel openAi(FakeOpenAiServer server, String model) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").modelName(model)
                .maxRetries(0).timeout(TIMEOUT).build();
    }

    static OpenAiChatModel openAiWithLogprobs(FakeOpenAiServer server, String model) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").modelName(model)
                .logprobs(true).topLogprobs(3).maxRetries(0).timeout(TIMEOUT).build();
    }

    static OpenAiStreamingChatModel openAiStreaming(FakeOpenAiServer server, String model) {
        return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").modelName(model)
                .timeout(TIMEOUT).build();
    }

    static OllamaChatModel ollama(FakeOllamaServer server, String model) {
        return OllamaChatModel.builder().baseUrl(server.baseUrl()).modelName(model).maxRetries(0).timeout(TIMEOUT)
                .build();
    }

    static OllamaStreamingChatModel ollamaStreaming(FakeOllamaServer server, String model) {
        return OllamaStreamingChatModel.builder().baseUrl(server.baseUrl()).modelName(model).timeout(TIMEOUT).build();
    }
}
