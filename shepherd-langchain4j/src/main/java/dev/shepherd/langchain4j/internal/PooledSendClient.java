package dev.shepherd.langchain4j.internal;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP client whose {@code sendAsync} runs the blocking {@code send} on a pool of reused daemon
 * threads, and so completes there.
 *
 * <p>Why: LangChain4j's JDK client streams with {@code sendAsync(...).thenAccept(parse)}, and the JDK
 * completes {@code sendAsync} in {@code CompletableFuture}'s default executor, so the parse, which blocks
 * reading the body for the whole answer, runs there: in the common fork-join pool, or, on a machine
 * with fewer than three CPUs (where that pool has one thread), in a thread created for every stream.
 * Here it runs on a pool thread that the next stream reuses. Blocking calls ({@code send}) are
 * delegated as they are. Thread-safe.
 */
public final class PooledSendClient extends ForwardingHttpClient {

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by every client: one thread per stream in flight, kept a minute for the next one. */
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "shepherd-model-stream-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private PooledSendClient(HttpClient delegate) {
        super(delegate);
    }

    /** Wraps a JDK client builder: the clients it builds send asynchronous requests from the pool. */
    public static HttpClient.Builder wrapping(HttpClient.Builder delegate) {
        return ForwardingHttpClient.wrapping(delegate, PooledSendClient::new);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        CompletableFuture<HttpResponse<T>> response = new CompletableFuture<>();
        POOL.execute(() -> {
            try {
                response.complete(delegate.send(request, handler));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
                response.completeExceptionally(e);
            }
        });
        return response;
    }
}
