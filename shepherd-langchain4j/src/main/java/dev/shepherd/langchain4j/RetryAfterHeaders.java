package dev.shepherd.langchain4j;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.run.RetryPolicy;
import dev.shepherd.langchain4j.internal.RetryAfterRecorder;
import java.net.http.HttpClient;

/**
 * An HTTP client for LangChain4j's HTTP models that lets shepherd honour {@code Retry-After}.
 * LangChain4j turns an error response into an {@code HttpException} (or {@code RateLimitException}) that
 * keeps the status and the body but not the headers; a model built with {@link #httpClientBuilder()}
 * keeps the {@code Retry-After} of its last failed response, and {@link ChatModelGenerator} (so
 * {@link ShepherdChatModel}) puts it on the {@link ModelCallException#retryAfter()} that the executor's
 * {@link RetryPolicy} waits for.
 *
 * <pre>{@code
 * ChatModel openAi = OpenAiChatModel.builder()
 *         .httpClientBuilder(RetryAfterHeaders.httpClientBuilder())
 *         .baseUrl(url).apiKey(key).modelName("gpt-4o-mini")
 *         .timeout(Duration.ofSeconds(30))
 *         .maxRetries(0)                 // shepherd's RetryPolicy retries; don't stack the client's
 *         .build();
 * }</pre>
 *
 * <p>It is LangChain4j's own JDK client ({@link JdkHttpClient}, the default of its OpenAI and Ollama
 * models) over a {@code java.net.http.HttpClient} that records the header of each 4xx/5xx response on
 * the calling thread; shepherd reads it right after the failed synchronous call on that thread.
 * Streaming models receive their errors on other threads, so they get no {@code Retry-After}. Thread-safe.
 */
public final class RetryAfterHeaders {

    private RetryAfterHeaders() {
    }

    /** LangChain4j's JDK HTTP client builder, its client recording {@code Retry-After}; set timeouts as usual. */
    public static JdkHttpClientBuilder httpClientBuilder() {
        return httpClientBuilder(HttpClient.newBuilder());
    }

    /** As {@link #httpClientBuilder()} over a configured JDK client builder (proxy, SSL, executor). */
    public static JdkHttpClientBuilder httpClientBuilder(HttpClient.Builder jdkBuilder) {
        return JdkHttpClient.builder().httpClientBuilder(RetryAfterRecorder.recording(jdkBuilder));
    }
}
