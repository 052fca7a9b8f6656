package dev.shepherd.cli.live;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.langchain4j.internal.PooledSendClient;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.util.List;

/**
 * The LangChain4j clients of a {@link ModelSpec}: a {@link ChatModel} for the live verbs and {@code serve}'s complete
 * answers, a {@link StreamingChatModel} for {@code serve}'s streamed ones. HTTP clients time out after
 * {@link Models#TIMEOUT} and retry once (streaming clients never retry); an OpenAI-compatible small model is asked
 * for log-probabilities when {@link ModelSetup#smallLogprobs()} (chat client only: LangChain4j's streaming OpenAI
 * client has no such option). In-process GGUF models are opened once per spec and owned by the caller's list.
 * Stateless, thread-safe.
 */
public final class ChatModels {

    private ChatModels() {
    }

    /**
     * The chat client of a model.
     *
     * @param owned receives in-process models to close
     * @param warnings where the one warning about refused log-probabilities goes
     */
    public static ChatModel chat(ModelSpec spec, ModelSetup setup, List<AutoCloseable> owned, PrintWriter warnings) {
        return switch (spec.provider()) {
            case OPENAI -> spec.role() == ModelRole.SMALL && setup.smallLogprobs()
                    ? new LogprobsFallbackChatModel(openAi(spec, true), openAi(spec, false), spec.displayName(),
                    spec.baseUrl(), warnings)
                    : openAi(spec, false);
            case OLLAMA -> OllamaChatModel.builder()
                    .httpClientBuilder(httpClient(spec.baseUrl()))
                    .baseUrl(spec.baseUrl())
                    .modelName(spec.model())
                    .timeout(Models.TIMEOUT)
                    .maxRetries(1)
                    .build();
            case GGUF -> Models.Gguf.open(spec, setup, owned);
        };
    }

    /**
     * The streaming client of a model. An in-process GGUF model does not stream: {@code gguf} is its chat client,
     * whose answer is delivered in one partial.
     *
     * @param gguf the model's chat client when it is GGUF (the same in-process model), else ignored
     */
    public static StreamingChatModel streaming(ModelSpec spec, ChatModel gguf) {
        return switch (spec.provider()) {
            case OPENAI -> OpenAiStreamingChatModel.builder()
                    .httpClientBuilder(httpClient(spec.baseUrl()))
                    .baseUrl(spec.baseUrl())
                    .apiKey(spec.apiKey() != null ? spec.apiKey() : "unused")
                    .modelName(spec.model())
                    .timeout(Models.TIMEOUT)
                    .build();
            case OLLAMA -> OllamaStreamingChatModel.builder()
                    .httpClientBuilder(httpClient(spec.baseUrl()))
                    .baseUrl(spec.baseUrl())
                    .modelName(spec.model())
                    .timeout(Models.TIMEOUT)
                    .build();
            case GGUF -> new OnePartial(gguf);
        };
    }

    /** An OpenAI-compatible chat client; with {@code logprobs}, the top-5 log-probabilities of every token. */
    static ChatModel openAi(ModelSpec spec, boolean logprobs) {
        OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                .httpClientBuilder(httpClient(spec.baseUrl()))
                .baseUrl(spec.baseUrl())
                .apiKey(spec.apiKey() != null ? spec.apiKey() : "unused")
                .modelName(spec.model())
                .timeout(Models.TIMEOUT)
                .maxRetries(1);
        if (logprobs) {
            b.logprobs(true).topLogprobs(5);
        }
        return b.build();
    }

    /**
     * The HTTP client of an OpenAI-compatible or Ollama model: LangChain4j's JDK client, with two changes for a busy
     * {@code serve}. The JDK client speaks HTTP/2 by default, and over plain {@code http://} that means an h2c
     * upgrade offer (three more headers, built anew) on every request, which local servers (llama.cpp, vLLM,
     * Ollama) ignore: those get HTTP/1.1; {@code https://} keeps HTTP/2 (ALPN). And a stream's body is read on a
     * pooled thread rather than on one the JDK picks per stream ({@link PooledSendClient}).
     */
    public static JdkHttpClientBuilder httpClient(String baseUrl) {
        HttpClient.Builder jdk = HttpClient.newBuilder();
        if (baseUrl != null && baseUrl.regionMatches(true, 0, "http:", 0, 5)) {
            jdk.version(HttpClient.Version.HTTP_1_1);
        }
        return JdkHttpClient.builder().httpClientBuilder(PooledSendClient.wrapping(jdk));
    }

    /** A chat model seen as a streaming one: its whole answer is one partial. */
    private static final class OnePartial implements StreamingChatModel {
        private final ChatModel model;

        OnePartial(ChatModel model) {
            this.model = model;
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            ChatResponse r;
            try {
                r = model.chat(request);
            } catch (RuntimeException e) {
                handler.onError(e);
                return;
            }
            if (r.aiMessage().text() != null && !r.aiMessage().text().isEmpty()) {
                handler.onPartialResponse(r.aiMessage().text());
            }
            handler.onCompleteResponse(r);
        }

        @Override
        public dev.langchain4j.model.chat.request.ChatRequestParameters defaultRequestParameters() {
            return model.defaultRequestParameters();
        }

        @Override
        public dev.langchain4j.model.ModelProvider provider() {
            return model.provider();
        }
    }
}
