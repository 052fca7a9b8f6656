package dev.shepherd.langchain4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PooledSendClientTest {

    @Test
    void should_complete_an_asynchronous_send_on_a_pooled_thread() throws Exception {
        // given: a server slow enough that the caller attaches its continuation before the answer
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = PooledSendClient.wrapping(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/")).build();
            // when
            String[] seen = new String[2];
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> {
                        seen[0] = Thread.currentThread().getName();
                        seen[1] = r.body();
                    }).get(10, TimeUnit.SECONDS);
            // then
            assertThat(seen[0]).startsWith("shepherd-model-stream-");
            assertThat(seen[1]).isEqualTo("ok");
            assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void should_fail_the_future_as_the_send_failed() throws Exception {
        // given: a port nobody listens on
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpClient client = PooledSendClient.wrapping(HttpClient.newBuilder()).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        // when / then
        assertThatThrownBy(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ConnectException.class);
    }
}
