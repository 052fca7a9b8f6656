package dev.shepherd.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

class ChatModelsHttpClientTest {

    @Test
    void should_speak_http_1_1_to_plain_http_servers_only() {
        assertThat(ChatModels.httpClient("http://127.0.0.1:8080/v1").httpClientBuilder().build().version())
                .isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(ChatModels.httpClient("https://api.openai.com/v1").httpClientBuilder().build().version())
                .isEqualTo(HttpClient.Version.HTTP_2);
    }
}
